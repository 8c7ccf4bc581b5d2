import type { EntryPoint, Identity } from "@switchboard/protocol";
import { useCallback } from "react";
import { Link } from "wouter";
import { useResource } from "../../shell/data/use-resource.js";
import { formatRelative } from "../../shell/format/time.js";
import { useClient } from "../../shell/session/session-context.js";
import { Badge, EmptyState, ErrorNotice, SkeletonRows } from "../../shell/ui/feedback.js";
import { BotIcon, ChevronRightIcon, EntryPointIcon, PlusIcon } from "../../shell/ui/icons.js";
import { PageHeader } from "../../shell/ui/page.js";
import { loadBots } from "./bots.js";
import { isOpenAt, summarizeBusinessHours } from "./business-hours.js";

export function EntryPointsPage() {
  const client = useClient();
  const load = useCallback(
    async (signal: AbortSignal) => {
      const [entryPoints, bots] = await Promise.all([client.entryPoints.list({ signal }), loadBots(client, signal)]);
      return { entryPoints, bots };
    },
    [client],
  );
  const { data, error, reload } = useResource(load);

  const newButton = (
    <Link href="/entry-points/new" className="btn btn-primary">
      <PlusIcon size={16} /> New entry point
    </Link>
  );
  return (
    <div className="page">
      <PageHeader
        title="Entry points"
        description="Where customers start a conversation: each one is a chat widget with its own bot, hours and queue."
        actions={data && data.entryPoints.length > 0 ? newButton : undefined}
      />
      {error ? <ErrorNotice error={error} onRetry={reload} /> : null}
      {!data && !error ? <SkeletonRows rows={3} /> : null}
      {data && data.entryPoints.length === 0 ? (
        <EmptyState icon={<EntryPointIcon size={28} />} title="No entry points yet" action={newButton}>
          Create one to get a snippet for your website: customers chat with your bot and your team from there.
        </EmptyState>
      ) : null}
      {data && data.entryPoints.length > 0 ? (
        <ul className="row-list" aria-label="Entry points">
          {data.entryPoints.map((entryPoint) => (
            <EntryPointRow key={entryPoint.id} entryPoint={entryPoint} bots={data.bots} />
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function EntryPointRow({ entryPoint, bots }: { entryPoint: EntryPoint; bots: Identity[] }) {
  const bot = bots.find((b) => b.id === entryPoint.botIdentityId);
  const open = isOpenAt(entryPoint.businessHours, new Date());
  return (
    <li>
      <Link href={`/entry-points/${encodeURIComponent(entryPoint.id)}`} className="row-link">
        <div className="row-icon" aria-hidden="true">
          <EntryPointIcon />
        </div>
        <div className="row-main">
          <div className="row-title">
            <span>{entryPoint.name}</span>
            {entryPoint.enabled ? null : <Badge>Disabled</Badge>}
          </div>
          <div className="row-meta">
            <span className="row-meta-item">
              <BotIcon size={14} />
              {entryPoint.botIdentityId === null ? "No bot" : (bot?.displayName ?? "Bot")}
            </span>
            <span className="row-meta-item">Queue: {entryPoint.handoffQueue}</span>
            <span className="row-meta-item">{summarizeBusinessHours(entryPoint.businessHours)}</span>
          </div>
        </div>
        <div className="row-side">
          {entryPoint.enabled && open !== undefined ? (
            <Badge tone={open ? "success" : "neutral"}>{open ? "Open now" : "Closed now"}</Badge>
          ) : null}
          <span className="row-time">Updated {formatRelative(entryPoint.updatedAt)}</span>
        </div>
        <ChevronRightIcon size={16} />
      </Link>
    </li>
  );
}
