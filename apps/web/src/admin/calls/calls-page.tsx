import type { CallRecord, PhoneNumber } from "@switchboard/protocol";
import { useCallback } from "react";
import { Link } from "wouter";
import { usePages } from "../../shell/data/use-pages.js";
import { useResource } from "../../shell/data/use-resource.js";
import { useUrlFilters } from "../../shell/data/use-url-filters.js";
import { formatDateTime, formatRelative } from "../../shell/format/time.js";
import { useClient } from "../../shell/session/session-context.js";
import { Badge, EmptyState, ErrorNotice, SkeletonRows } from "../../shell/ui/feedback.js";
import { ChevronRightIcon, PhoneIcon, PhoneIncomingIcon, PhoneOutgoingIcon } from "../../shell/ui/icons.js";
import { FilterSelect, ListToolbar } from "../../shell/ui/list-toolbar.js";
import { LoadMore } from "../../shell/ui/load-more.js";
import { PageHeader, Section } from "../../shell/ui/page.js";
import { callStatus, DIRECTIONS, directionLabel, formatCallDuration, isDirection, isResult, RESULTS } from "./call-labels.js";
import { CallVolumeChart } from "./call-volume-chart.js";

const PAGE_SIZE = 50;

/** The tenant's calls, newest first, filtered by direction and result (kept in the URL), with their volume per hour. */
export function CallsPage() {
  const client = useClient();
  const { params, setFilter, clear } = useUrlFilters();
  const directionParam = params.get("direction");
  const resultParam = params.get("result");
  const direction = isDirection(directionParam) ? directionParam : undefined;
  const result = isResult(resultParam) ? resultParam : undefined;

  const loadNumbers = useCallback((signal: AbortSignal) => client.telephony.phoneNumbers.list({ signal }), [client]);
  const numbers = useResource(loadNumbers);
  const load = useCallback(
    (after: string | undefined, signal: AbortSignal) =>
      client.telephony.calls.list(
        { limit: PAGE_SIZE, ...(after ? { after } : {}), ...(direction ? { direction } : {}), ...(result ? { result } : {}) },
        { signal },
      ),
    [client, direction, result],
  );
  const pages = usePages<CallRecord>(load);
  const { data, error, loading, reload } = pages;

  const filtered = direction !== undefined || result !== undefined;
  const count = data?.items.length ?? 0;
  return (
    <div className="page">
      <PageHeader
        title="Calls"
        description="Every call to and from your numbers and phones: who called, what answered, how it ended, and what happened on it."
      />
      <ListToolbar filtered={filtered} onClear={clear} reloading={loading && data !== undefined} onRefresh={reload}>
        <FilterSelect
          label="Direction"
          anyLabel="Any direction"
          value={direction}
          choices={DIRECTIONS}
          onChange={(value) => setFilter("direction", value)}
        />
        <FilterSelect
          label="Result"
          anyLabel="Any result"
          value={result}
          choices={RESULTS.map((r) => ({ value: r.value, label: r.label, description: r.hint }))}
          onChange={(value) => setFilter("result", value)}
        />
      </ListToolbar>
      {error ? <ErrorNotice error={error} onRetry={reload} /> : null}
      {!data && !error ? <SkeletonRows rows={5} /> : null}
      {data && count === 0 ? (
        filtered ? (
          <EmptyState title="No call matches these filters" />
        ) : (
          <EmptyState icon={<PhoneIcon size={28} />} title="No calls yet">
            Calls appear here as soon as one rings: call one of your numbers, or dial between two phones.
          </EmptyState>
        )
      ) : null}
      {data && count > 0 ? (
        <div className="stack">
          <Section>
            <CallVolumeChart calls={data.items} />
          </Section>
          <ul className="row-list" aria-label="Calls">
            {data.items.map((call) => (
              <CallRow key={call.id} call={call} numbers={numbers.data ?? []} />
            ))}
          </ul>
        </div>
      ) : null}
      <LoadMore pages={pages} />
    </div>
  );
}

const DIRECTION_ICONS = {
  inbound: PhoneIncomingIcon,
  outbound: PhoneOutgoingIcon,
  internal: PhoneIcon,
} as const;

function CallRow({ call, numbers }: { call: CallRecord; numbers: readonly PhoneNumber[] }) {
  const status = callStatus(call);
  const number = numbers.find((n) => n.id === call.numberId);
  const Icon = DIRECTION_ICONS[call.direction] ?? PhoneIcon;
  return (
    <li>
      <Link href={`/calls/${encodeURIComponent(call.id)}`} className="row-link">
        <div className={`row-icon row-icon-${status.tone}`} aria-hidden="true">
          <Icon />
        </div>
        <div className="row-main">
          <div className="row-title">
            <span className="call-parties">
              {call.from || "Anonymous"} <span className="muted">→</span> {call.to}
            </span>
          </div>
          <div className="row-meta">
            <span className="row-meta-item">{directionLabel(call.direction)}</span>
            {number?.label ? <span className="row-meta-item">{number.label}</span> : null}
            {call.entry ? <span className="row-meta-item">Flow: {call.entry}</span> : null}
            {call.legs.length > 1 ? <span className="row-meta-item">{call.legs.length} legs</span> : null}
            {call.recordingIds.length > 0 ? (
              <span className="row-meta-item">
                {call.recordingIds.length} recording{call.recordingIds.length === 1 ? "" : "s"}
              </span>
            ) : null}
          </div>
        </div>
        <div className="row-side">
          <Badge tone={status.tone}>{status.label}</Badge>
          <span className="row-time">
            <time dateTime={call.startedAt} title={formatDateTime(call.startedAt)}>
              {formatRelative(call.startedAt)}
            </time>
            {" · "}
            <span title="Duration, ringing included">{formatCallDuration(call.durationMs)}</span>
          </span>
        </div>
        <ChevronRightIcon size={16} />
      </Link>
    </li>
  );
}
