import type { RoutingLogEntry } from "@switchboard/protocol";
import { useCallback } from "react";
import { useResource } from "../../shell/data/use-resource.js";
import { formatDateTime, formatTime } from "../../shell/format/time.js";
import { useClient } from "../../shell/session/session-context.js";
import { ErrorNotice, Loading } from "../../shell/ui/feedback.js";
import { Section } from "../../shell/ui/page.js";
import { describeRoutingEntry, type RoutingNames } from "./routing-log.js";

interface Loaded {
  entries: RoutingLogEntry[];
  names: RoutingNames;
}

/**
 * What routing did with the conversation and why: queued, offered, declined or expired, exceptions and
 * redirects, each with the engine's reason. Its own request, so that a failure here leaves the rest of
 * the page standing.
 */
export function RoutingLogSection({ conversationId }: { conversationId: string }) {
  const client = useClient();
  const load = useCallback(
    async (signal: AbortSignal): Promise<Loaded> => {
      const [entries, queues, workers] = await Promise.all([
        client.conversations.routingLog(conversationId, { signal }),
        // Names only: without them the log shows ids.
        client.queues.list({ signal }).catch(() => []),
        client.workers.list({ signal }).catch(() => []),
      ]);
      return {
        entries,
        names: {
          queues: new Map(queues.map((q) => [q.id, q.name])),
          workers: new Map(workers.map((w) => [w.id, w.name])),
        },
      };
    },
    [client, conversationId],
  );
  const { data, error, reload } = useResource(load);
  return (
    <Section title="Routing" description="What routing did with this conversation, and why.">
      {error ? <ErrorNotice error={error} onRetry={reload} /> : null}
      {!data && !error ? <Loading /> : null}
      {data && data.entries.length === 0 ? (
        <p className="muted">Not routed: the conversation never waited for an agent.</p>
      ) : null}
      {data && data.entries.length > 0 ? (
        <ol className="timeline routing-log" aria-label="Routing log">
          {data.entries.map((entry) => {
            const line = describeRoutingEntry(entry, data.names);
            return (
              <li key={entry.position} className={`timeline-item routing-${line.tone}`} data-type={entry.type}>
                <span className="timeline-dot" aria-hidden="true" />
                <div>
                  <div className="timeline-title">{line.title}</div>
                  {line.reason ? <div className="timeline-detail routing-reason">{line.reason}</div> : null}
                  {line.detail ? <div className="timeline-detail">{line.detail}</div> : null}
                  <time className="timeline-time" dateTime={entry.at} title={formatDateTime(entry.at)}>
                    {formatTime(entry.at)}
                  </time>
                </div>
              </li>
            );
          })}
        </ol>
      ) : null}
    </Section>
  );
}
