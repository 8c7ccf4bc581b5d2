import type { CallRecord, CallRecordPage, PhoneNumber } from "@switchboard/protocol";
import { useCallback, useState } from "react";
import { Link, useLocation, useSearch } from "wouter";
import { useResource } from "../../shell/data/use-resource.js";
import { formatDateTime, formatRelative } from "../../shell/format/time.js";
import { useClient } from "../../shell/session/session-context.js";
import { Badge, EmptyState, ErrorNotice, SkeletonRows } from "../../shell/ui/feedback.js";
import { ChevronRightIcon, PhoneIcon, PhoneIncomingIcon, PhoneOutgoingIcon } from "../../shell/ui/icons.js";
import { PageHeader, Section } from "../../shell/ui/page.js";
import {
  type CallDirection,
  type CallResult,
  callStatus,
  DIRECTIONS,
  directionLabel,
  formatCallDuration,
  isDirection,
  isResult,
  RESULTS,
} from "./call-labels.js";
import { CallVolumeChart } from "./call-volume-chart.js";

const PAGE_SIZE = 50;

/** The tenant's calls, newest first, filtered by direction and result (kept in the URL), with their volume per hour. */
export function CallsPage() {
  const client = useClient();
  const [, navigate] = useLocation();
  const params = new URLSearchParams(useSearch());
  const directionParam = params.get("direction");
  const resultParam = params.get("result");
  const direction = isDirection(directionParam) ? directionParam : undefined;
  const result = isResult(resultParam) ? resultParam : undefined;
  const filters: { direction?: CallDirection; result?: CallResult } = {
    ...(direction ? { direction } : {}),
    ...(result ? { result } : {}),
  };

  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    const search = next.toString();
    navigate(`/calls${search ? `?${search}` : ""}`, { replace: true });
  };

  const loadNumbers = useCallback((signal: AbortSignal) => client.telephony.phoneNumbers.list({ signal }), [client]);
  const numbers = useResource(loadNumbers);
  const load = useCallback(
    (signal: AbortSignal) =>
      client.telephony.calls.list(
        { limit: PAGE_SIZE, ...(direction ? { direction } : {}), ...(result ? { result } : {}) },
        { signal },
      ),
    [client, direction, result],
  );
  const { data, error, loading, reload, update } = useResource<CallRecordPage>(load);
  const [moreError, setMoreError] = useState<unknown>(undefined);
  const [loadingMore, setLoadingMore] = useState(false);

  const loadMore = async () => {
    if (!data?.next) return;
    setLoadingMore(true);
    setMoreError(undefined);
    try {
      const page = await client.telephony.calls.list({ limit: PAGE_SIZE, after: data.next, ...filters });
      update((d) => ({ items: [...d.items, ...page.items], next: page.next }));
    } catch (e) {
      setMoreError(e);
    } finally {
      setLoadingMore(false);
    }
  };

  const filtered = direction !== undefined || result !== undefined;
  const count = data?.items.length ?? 0;
  return (
    <div className="page">
      <PageHeader
        title="Calls"
        description="Every call to and from your numbers and phones: who called, what answered, how it ended, and what happened on it."
      />
      <div className="toolbar">
        <label className="filter">
          <span className="filter-label">Direction</span>
          <select
            className="input select"
            aria-label="Direction"
            value={direction ?? ""}
            onChange={(e) => setFilter("direction", e.target.value)}
          >
            <option value="">Any direction</option>
            {DIRECTIONS.map((d) => (
              <option key={d.value} value={d.value}>
                {d.label}
              </option>
            ))}
          </select>
        </label>
        <label className="filter">
          <span className="filter-label">Result</span>
          <select
            className="input select"
            aria-label="Result"
            value={result ?? ""}
            onChange={(e) => setFilter("result", e.target.value)}
          >
            <option value="">Any result</option>
            {RESULTS.map((r) => (
              <option key={r.value} value={r.value} title={r.hint}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
        {filtered ? (
          <button type="button" className="btn btn-ghost btn-sm" onClick={() => navigate("/calls", { replace: true })}>
            Clear filters
          </button>
        ) : null}
        {loading && data ? <span className="spinner spinner-sm" role="status" aria-label="Loading" /> : null}
        <div className="toolbar-end">
          <button type="button" className="btn btn-sm" onClick={reload}>
            Refresh
          </button>
        </div>
      </div>
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
      {moreError ? <ErrorNotice error={moreError} onRetry={loadMore} /> : null}
      {data?.next ? (
        <div className="load-more">
          <button type="button" className="btn" onClick={loadMore} disabled={loadingMore}>
            {loadingMore ? "Loading…" : "Load more"}
          </button>
        </div>
      ) : null}
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
