import type { AgentOrganization, Presence, SupervisorLive } from "@switchboard/protocol";
import { useCallback, useEffect, useRef, useState } from "react";
import { useLocation, useSearch } from "wouter";
import { useNow } from "../shell/data/use-now.js";
import { useResource } from "../shell/data/use-resource.js";
import { formatRelative } from "../shell/format/time.js";
import { useRealtime } from "../shell/realtime/use-realtime.js";
import { formatDuration, PRESENCES } from "../shell/routing/presence.js";
import { PresencePill } from "../shell/routing/presence-pill.js";
import { useClient, useSession } from "../shell/session/session-context.js";
import { EmptyState, ErrorNotice, Loading } from "../shell/ui/feedback.js";
import { ChartIcon } from "../shell/ui/icons.js";
import { PageHeader, Section } from "../shell/ui/page.js";
import { type AgentLive, canPickOrganization, longestWaitNow, serviceLevel, sortAgents, totals, waitTone } from "./live.js";
import { WaitingChart } from "./waiting-chart.js";

/** Without a live socket, the view is read this often. */
const POLL_MS = 5000;

/**
 * Queues and agents, now: `supervisor.live` frames while the socket is open (the server sends one about
 * every second while something changes), `GET /v1/supervisor/live` every five seconds while it is not.
 * An admin or in-house supervisor may pick an agent organization (kept in the URL): its queues and agents,
 * each queue counting only its agents. The frames stay the viewer's own view then, so each one only says
 * "read the organization's view again".
 */
export function LivePage() {
  const client = useClient();
  const { session } = useSession();
  const realtime = useRealtime();
  const [, navigate] = useLocation();
  const search = useSearch();
  const picking = session !== undefined && canPickOrganization(session.user);
  // A supervisor of an organization sees theirs anyway: the parameter is for those who may pick.
  const organizationId = (picking && new URLSearchParams(search).get("organization")) || undefined;
  const [live, setLive] = useState<SupervisorLive | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const now = useNow(1000);
  // The latest request or frame wins: an older answer arriving late is dropped.
  const latest = useRef(0);

  const loadOrganizations = useCallback(
    (signal: AbortSignal): Promise<AgentOrganization[]> =>
      picking ? client.organizations.list({ signal }) : Promise.resolve([]),
    [client, picking],
  );
  const organizations = useResource(loadOrganizations);

  const load = useCallback(() => {
    const request = ++latest.current;
    client.supervisor.live(organizationId ? { organizationId } : {}).then(
      (snapshot) => {
        if (request !== latest.current) return;
        setLive(snapshot);
        setError(undefined);
      },
      (e: unknown) => {
        if (request === latest.current) setError(e);
      },
    );
  }, [client, organizationId]);

  useEffect(() => {
    // Another organization picked: its view, not the last one's while it loads.
    setLive(undefined);
    setError(undefined);
    load();
  }, [load]);

  const socket = realtime.client;
  useEffect(() => {
    if (!socket) return;
    const offs = [
      socket.on("supervisor.live", (frame) => {
        if (organizationId) {
          load();
          return;
        }
        latest.current += 1;
        setLive(frame.live);
        setError(undefined);
      }),
      // Frames come only when something changes: after a reconnect, read where things stand.
      socket.on("ready", load),
    ];
    return () => {
      for (const off of offs) off();
    };
  }, [socket, load, organizationId]);

  const streaming = realtime.state === "open";
  useEffect(() => {
    if (streaming) return;
    const timer = globalThis.setInterval(load, POLL_MS);
    return () => globalThis.clearInterval(timer);
  }, [streaming, load]);

  const status = (
    <span className={`live-status${streaming ? " live-status-on" : ""}`} role="status">
      <span className="live-dot" aria-hidden="true" />
      {streaming ? "Live" : "Updating every 5 s"}
      {live ? <span className="muted"> · as of {formatRelative(live.at, now)}</span> : null}
    </span>
  );

  const organization = organizations.data?.find((o) => o.id === organizationId);
  const description = organizationId
    ? `The queues of ${organization?.name ?? "the organization"} and its agents, right now.`
    : "Queues and agents, right now.";
  const setOrganization = (value: string) =>
    navigate(value ? `/live?organization=${encodeURIComponent(value)}` : "/live", { replace: true });
  const filter =
    picking && (organizations.data?.length || organizationId || organizations.error) ? (
      <div className="toolbar">
        <label className="filter">
          <span className="filter-label">Organization</span>
          <select className="input select" value={organizationId ?? ""} onChange={(e) => setOrganization(e.target.value)}>
            <option value="">Everyone (in-house and all organizations)</option>
            {(organizations.data ?? []).map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
            {organizationId && !organization ? (
              <option value={organizationId}>{organizations.data ? "Unknown organization" : "Loading…"}</option>
            ) : null}
          </select>
        </label>
        {organizations.error ? <ErrorNotice error={organizations.error} onRetry={organizations.reload} /> : null}
      </div>
    ) : null;

  if (!live) {
    return (
      <div className="page page-wide">
        <PageHeader title="Live view" description={description} actions={status} />
        {filter}
        {error ? <ErrorNotice error={error} onRetry={load} /> : <Loading />}
      </div>
    );
  }

  const sum = totals(live, now);
  const level = serviceLevel(sum.serviceLevel);
  const signedIn = live.agents.length - sum.agents.offline;
  return (
    <div className="page page-wide">
      <PageHeader title="Live view" description={description} actions={status} />
      {filter}
      {error ? <ErrorNotice error={error} onRetry={load} /> : null}
      <div className="live-stats">
        <Stat label="Waiting" value={String(sum.waiting)} tone={sum.waiting > 0 ? "warning" : "neutral"} />
        <Stat label="Longest wait" value={formatDuration(sum.longestWaitSeconds)} tone={waitTone(sum.longestWaitSeconds)} />
        <Stat label="Service level" value={level.label} tone={level.tone} hint="Answered within each queue's target, today" />
        <Stat
          label="Agents available"
          value={`${sum.agents.available} / ${signedIn}`}
          tone={sum.agents.available > 0 ? "success" : signedIn > 0 ? "warning" : "neutral"}
          hint={`${sum.load} of ${sum.capacity} capacity in use`}
        />
      </div>

      {live.queues.length === 0 ? (
        organizationId ? (
          <EmptyState icon={<ChartIcon size={24} />} title="No queues assigned">
            No queue is assigned to this organization yet: an admin assigns them on the Queues page.
          </EmptyState>
        ) : (
          <EmptyState icon={<ChartIcon size={24} />} title="No queues yet">
            An admin creates queues; conversations handed off to them show here.
          </EmptyState>
        )
      ) : (
        <div className="live-grid">
          <Section title="Waiting per queue" description="Bars turn amber past 45 s of waiting, red past 2 min.">
            <WaitingChart queues={live.queues} snapshotAt={live.at} now={now} />
          </Section>
          <Section title="Queues">
            <div className="table-wrap">
              <table className="table table-compact live-table">
                <thead>
                  <tr>
                    <th>Queue</th>
                    <th className="cell-num">Waiting</th>
                    <th>Longest wait</th>
                    <th className="col-optional">Service level</th>
                    <th className="col-optional">Agents</th>
                  </tr>
                </thead>
                <tbody>
                  {live.queues.map((q) => {
                    const wait = longestWaitNow(q, live.at, now);
                    const sl = serviceLevel(q.serviceLevel);
                    return (
                      <tr key={q.id}>
                        <td className="cell-strong">{q.name}</td>
                        <td className="cell-num">{q.waiting}</td>
                        <td>
                          <span className={`tone-${waitTone(wait)}`}>{q.waiting > 0 ? formatDuration(wait) : "—"}</span>
                        </td>
                        <td className="col-optional">
                          <span className={`tone-${sl.tone}`}>{sl.label}</span>
                        </td>
                        <td className="col-optional">
                          <PresenceCounts counts={q.agents} />
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </Section>
        </div>
      )}

      <div className="live-agents">
        <Section title="Agents" description={`${signedIn} signed in of ${live.agents.length}`}>
          {live.agents.length === 0 ? (
            <p className="muted">No agents yet.</p>
          ) : (
            <div className="table-wrap">
              <table className="table table-compact live-table">
                <thead>
                  <tr>
                    <th>Agent</th>
                    <th>Presence</th>
                    <th>Load</th>
                  </tr>
                </thead>
                <tbody>
                  {sortAgents(live.agents).map((a) => (
                    <AgentRow key={a.id} agent={a} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Section>
      </div>
    </div>
  );
}

function Stat({ label, value, tone, hint }: { label: string; value: string; tone: string; hint?: string }) {
  return (
    <div className={`live-stat live-stat-${tone}`}>
      <span className="live-stat-label">{label}</span>
      <span className="live-stat-value">{value}</span>
      {hint ? <span className="live-stat-hint">{hint}</span> : null}
    </div>
  );
}

function PresenceCounts({ counts }: { counts: Partial<Record<Presence, number>> }) {
  const shown = PRESENCES.filter((p) => (counts[p.value] ?? 0) > 0);
  if (shown.length === 0) return <span className="muted">None</span>;
  return (
    <span className="presence-counts">
      {shown.map((p) => (
        <PresencePill key={p.value} presence={p.value}>
          {counts[p.value]} <span className="presence-count-label">{p.label.toLowerCase()}</span>
        </PresencePill>
      ))}
    </span>
  );
}

function AgentRow({ agent }: { agent: AgentLive }) {
  const ratio = agent.capacity > 0 ? Math.min(1, agent.load / agent.capacity) : 0;
  return (
    <tr className={agent.presence === "offline" ? "live-offline" : undefined}>
      <td className="cell-strong">{agent.name}</td>
      <td>
        <PresencePill presence={agent.presence} />
      </td>
      <td>
        <span className="load-cell">
          <span className="load-track" aria-hidden="true">
            <span className={`load-fill${ratio >= 1 ? " load-full" : ""}`} style={{ width: `${ratio * 100}%` }} />
          </span>
          <span className="load-text">
            {agent.load} / {agent.capacity}
          </span>
        </span>
      </td>
    </tr>
  );
}
