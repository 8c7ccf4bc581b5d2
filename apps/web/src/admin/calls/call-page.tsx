import type { CallEvent, CallLeg, CallRecord, PhoneNumber, Trunk } from "@switchboard/protocol";
import { SwitchboardError } from "@switchboard/sdk";
import { useCallback, useEffect } from "react";
import { Link } from "wouter";
import { useResource } from "../../shell/data/use-resource.js";
import { formatDateTime } from "../../shell/format/time.js";
import { useClient } from "../../shell/session/session-context.js";
import { BlobAudio } from "../../shell/ui/blob-audio.js";
import { Badge, ErrorNotice, Loading } from "../../shell/ui/feedback.js";
import { PageHeader, Section } from "../../shell/ui/page.js";
import {
  between,
  callStatus,
  describeCallEvent,
  directionLabel,
  endCauseLabel,
  formatCallDuration,
  partyLabel,
  roleLabel,
} from "./call-labels.js";
import { LiveCallPanel } from "./live-call-panel.js";
import "../../shell/conversations/conversations.css";

const RECORD_POLL_MS = 5_000;

interface Loaded {
  call: CallRecord;
  events: CallEvent[];
  number: PhoneNumber | undefined;
  trunk: Trunk | undefined;
}

/** 404 and friends: a part of the page that is gone or hidden, shown without it rather than failing. */
const orNothing = <T,>(promise: Promise<T>): Promise<T | undefined> =>
  promise.catch((error: unknown) => {
    if (error instanceof SwitchboardError && error.status < 500) return undefined;
    throw error;
  });

/** One call: where it stands, its legs, what happened on it in order, and its recordings to listen to. */
export function CallPage({ id }: { id: string }) {
  const client = useClient();
  const load = useCallback(
    async (signal: AbortSignal): Promise<Loaded> => {
      const [call, events] = await Promise.all([
        client.telephony.calls.get(id, { signal }),
        client.telephony.calls.allEvents(id, {}, { signal }),
      ]);
      const [number, trunk] = await Promise.all([
        call.numberId ? orNothing(client.telephony.phoneNumbers.get(call.numberId, { signal })) : undefined,
        call.trunkId ? orNothing(client.telephony.trunks.get(call.trunkId, { signal })) : undefined,
      ]);
      return { call, events, number, trunk };
    },
    [client, id],
  );
  const { data, error, loading, reload } = useResource(load);
  const back = { href: "/calls", label: "Calls" };
  // A call going on changes as it goes (legs, timeline, its end): read again every few seconds until it ended.
  const going = data !== undefined && data.call.state !== "ended";
  useEffect(() => {
    if (!going) return;
    const timer = globalThis.setInterval(reload, RECORD_POLL_MS);
    return () => globalThis.clearInterval(timer);
  }, [going, reload]);

  if (!data) {
    return (
      <div className="page">
        <PageHeader back={back} title="Call" />
        {error ? <ErrorNotice error={error} onRetry={reload} /> : <Loading />}
      </div>
    );
  }

  const { call, events, number, trunk } = data;
  const status = callStatus(call);
  const talk = between(call.answeredAt, call.endedAt);
  const recordingEvents = new Map(
    events.flatMap((e) => {
      const line = describeCallEvent(e, call.legs);
      return line.recordingId ? [[line.recordingId, line.title] as const] : [];
    }),
  );
  return (
    <div className="page">
      <PageHeader
        back={back}
        title={`${call.from || "Anonymous"} → ${call.to}`}
        description={`${directionLabel(call.direction)} call · started ${formatDateTime(call.startedAt)}`}
        actions={
          <>
            <Badge tone={status.tone}>{status.label}</Badge>
            {call.state !== "ended" ? (
              <button type="button" className="btn btn-sm" onClick={reload} disabled={loading}>
                Refresh
              </button>
            ) : null}
          </>
        }
      />
      {error ? <ErrorNotice error={error} onRetry={reload} /> : null}
      <div className="split split-detail">
        <div className="stack">
          <LiveCallPanel callId={call.id} active={call.state !== "ended"} onConnectedChange={reload} />
          {call.recordingIds.length > 0 ? (
            <Section title="Recordings" description="Made on this call; WAV, 8 kHz.">
              <ul className="recordings" aria-label="Recordings">
                {call.recordingIds.map((recordingId, i) => (
                  <li key={recordingId} className="recording">
                    <RecordingPlayer
                      callId={call.id}
                      recordingId={recordingId}
                      label={`Recording ${i + 1}${recordingEvents.get(recordingId)?.replace(/^Recording made/, "") ?? ""}`}
                    />
                  </li>
                ))}
              </ul>
            </Section>
          ) : null}
          <Section
            title="Timeline"
            description={`${events.length} event${events.length === 1 ? "" : "s"}, times from the first ring`}
          >
            <CallTimeline call={call} events={events} />
          </Section>
        </div>
        <aside className="stack">
          <Section title="Details">
            <dl className="details">
              <dt>Direction</dt>
              <dd>{directionLabel(call.direction)}</dd>
              <dt>From</dt>
              <dd>{call.from || <span className="muted">Anonymous</span>}</dd>
              <dt>To</dt>
              <dd>{call.to}</dd>
              {number ? (
                <>
                  <dt>Number</dt>
                  <dd>
                    <Link href="/phone-numbers">{number.label ? `${number.label} (${number.e164})` : number.e164}</Link>
                  </dd>
                </>
              ) : null}
              <dt>Trunk</dt>
              <dd>
                {trunk ? (
                  <Link href={`/trunks/${encodeURIComponent(trunk.id)}`}>{trunk.name}</Link>
                ) : call.trunkId ? (
                  <code>{call.trunkId}</code>
                ) : (
                  <span className="muted">None</span>
                )}
              </dd>
              <dt>Flow</dt>
              <dd>{call.entry ?? <span className="muted">None</span>}</dd>
              <dt>Result</dt>
              <dd>{status.label}</dd>
              {call.hangupCause ? (
                <>
                  <dt>Cause</dt>
                  <dd>{endCauseLabel(call.hangupCause)}</dd>
                </>
              ) : null}
              <dt>Started</dt>
              <dd>{formatDateTime(call.startedAt)}</dd>
              <dt>Answered</dt>
              <dd>{call.answeredAt ? formatDateTime(call.answeredAt) : <span className="muted">Not answered</span>}</dd>
              <dt>Ended</dt>
              <dd>{call.endedAt ? formatDateTime(call.endedAt) : <span className="muted">Still going</span>}</dd>
              <dt>Duration</dt>
              <dd>
                {formatCallDuration(call.durationMs)}
                {talk !== null ? <span className="muted"> · talk {formatCallDuration(talk)}</span> : null}
              </dd>
            </dl>
          </Section>
          <Section title="Legs" description="Each party's part of the call.">
            <Legs call={call} />
          </Section>
        </aside>
      </div>
    </div>
  );
}

function Legs({ call }: { call: CallRecord }) {
  if (call.legs.length === 0) return <p className="muted">No legs recorded.</p>;
  return (
    <ol className="legs" aria-label="Legs">
      {call.legs.map((leg) => (
        <LegItem key={leg.id} leg={leg} startedAt={call.startedAt} />
      ))}
    </ol>
  );
}

function LegItem({ leg, startedAt }: { leg: CallLeg; startedAt: string }) {
  const offset = (at: string | null) => (at === null ? null : `+${formatCallDuration(between(startedAt, at))}`);
  return (
    <li className="leg">
      <div className="leg-head">
        <span className="leg-role">{roleLabel(leg.role)}</span>
        <span className="leg-party" title={leg.party}>
          {partyLabel(leg.party)}
        </span>
        <span className="leg-protocol">{leg.protocol.toUpperCase()}</span>
      </div>
      <dl className="leg-times">
        <dt>Answered</dt>
        <dd>
          {leg.answeredAt ? (
            <time dateTime={leg.answeredAt} title={formatDateTime(leg.answeredAt)}>
              {offset(leg.answeredAt)}
            </time>
          ) : (
            "No"
          )}
        </dd>
        <dt>Ended</dt>
        <dd>
          {leg.endedAt ? (
            <time dateTime={leg.endedAt} title={formatDateTime(leg.endedAt)}>
              {offset(leg.endedAt)}
            </time>
          ) : (
            "Still on"
          )}
        </dd>
      </dl>
      {leg.endReason ? <div className="leg-cause">{endCauseLabel(leg.endReason)}</div> : null}
    </li>
  );
}

function CallTimeline({ call, events }: { call: CallRecord; events: readonly CallEvent[] }) {
  if (events.length === 0) {
    return call.state === "ended" ? (
      <p className="muted">Nothing happened on this call besides ringing and hanging up.</p>
    ) : (
      <p className="muted">Nothing recorded yet.</p>
    );
  }
  return (
    <ol className="timeline" aria-label="Timeline">
      {events.map((event) => {
        const line = describeCallEvent(event, call.legs);
        return (
          <li key={event.sequence} className="timeline-item">
            <span className={`timeline-dot timeline-dot-${line.kind}`} aria-hidden="true" />
            <div>
              <div className="timeline-title">{line.title}</div>
              {line.detail ? <div className="timeline-detail">{line.detail}</div> : null}
              <time className="timeline-time" dateTime={event.at} title={formatDateTime(event.at)}>
                +{formatCallDuration(between(call.startedAt, event.at))}
              </time>
            </div>
          </li>
        );
      })}
    </ol>
  );
}

/** A recording made on the call, played and downloaded through the shared player (it needs the auth header). */
function RecordingPlayer({ callId, recordingId, label }: { callId: string; recordingId: string; label: string }) {
  const client = useClient();
  const load = useCallback(
    (signal: AbortSignal) => client.telephony.calls.recording(callId, recordingId, { signal }),
    [client, callId, recordingId],
  );
  return <BlobAudio load={load} label={label} fileName={`${recordingId}.wav`} />;
}
