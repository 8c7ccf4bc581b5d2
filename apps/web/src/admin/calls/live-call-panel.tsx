import type { LiveCall, LiveCallOutcome, LiveCallParty } from "@switchboard/protocol";
import { type FormEvent, useCallback, useEffect, useId, useRef, useState } from "react";
import { useResource } from "../../shell/data/use-resource.js";
import { useClient } from "../../shell/session/session-context.js";
import { type Submission, useSubmission } from "../../shell/ui/dialog-form.js";
import { Badge, ErrorNotice } from "../../shell/ui/feedback.js";
import { SelectField, TextField } from "../../shell/ui/fields.js";
import { ConfirmButton, Section } from "../../shell/ui/page.js";
import { livePartyRole } from "./call-labels.js";
import {
  type ConsultationAction,
  consultedLabel,
  emptyTransferForm,
  livePartyName,
  liveSummary,
  outcomeNote,
  RECORDING_STATES,
  type RecordingAction,
  recordingActions,
  TRANSFER_KINDS,
  TRANSFER_MODES,
  type TransferForm,
  type TransferRequest,
  transferRequest,
} from "./live-call.js";
import { useLiveCall } from "./use-live-call.js";

/**
 * A connected call, controlled while it lasts: its parties (mute each, hold the caller), the recording,
 * a participant added by extension, a transfer (blind to an extension or a queue, or after consulting an
 * extension) and hanging up. Shows nothing while the call is not connected; `onConnectedChange` tells
 * the page when that changes (the call record changed too).
 */
export function LiveCallPanel({
  callId,
  active,
  onConnectedChange,
}: {
  callId: string;
  /** False once the call record says it ended: no more reads. */
  active: boolean;
  onConnectedChange: () => void;
}) {
  const live = useLiveCall(callId, active);
  const connected = live.call !== undefined && live.call !== null;
  const seen = useRef<boolean | undefined>(undefined);
  useEffect(() => {
    if (live.call === undefined) return;
    if (seen.current !== undefined && seen.current !== connected) onConnectedChange();
    seen.current = connected;
  }, [connected, live.call, onConnectedChange]);

  if (!live.call) return null;
  return <LiveControls call={live.call} readError={live.error} onChange={live.set} />;
}

interface Directory {
  queues: { id: string; name: string }[];
  /** Phone names by extension. */
  names: Map<string, string>;
}

function LiveControls({
  call,
  readError,
  onChange,
}: {
  call: LiveCall;
  readError: unknown;
  onChange: (call: LiveCall | null) => void;
}) {
  const client = useClient();
  const loadDirectory = useCallback(
    async (signal: AbortSignal): Promise<Directory> => {
      const [queues, phones] = await Promise.all([client.queues.list({ signal }), client.telephony.sipAccounts.list({ signal })]);
      return {
        queues: queues.map((q) => ({ id: q.id, name: q.name })).sort((a, b) => a.name.localeCompare(b.name)),
        names: new Map(phones.map((p) => [p.extension, p.displayName || p.username])),
      };
    },
    [client],
  );
  const directory = useResource(loadDirectory).data;
  const names = directory?.names ?? new Map<string, string>();
  const action = useSubmission();
  const [note, setNote] = useState<string | undefined>(undefined);
  const listId = useId();

  /** Runs a control; its answer becomes the state shown. */
  const control = (run: () => Promise<LiveCall | null>) => {
    setNote(undefined);
    void action.run(async () => onChange(await run()));
  };
  /** A control that rings someone: the call as it is after, and a word when they did not answer. */
  const ring = (whom: string, run: () => Promise<LiveCallOutcome>) =>
    control(async () => {
      const { outcome, call: after } = await run();
      setNote(outcomeNote(outcome, whom));
      return after;
    });

  const id = call.callId;
  const live = client.telephony.liveCalls;
  const recording = RECORDING_STATES[call.recording];
  return (
    <Section
      title={
        <span className="live-title">
          <span className="live-dot" aria-hidden="true" /> Live
        </span>
      }
      description="Connected now: controls act on the call at once."
      actions={
        <ConfirmButton
          label="Hang up"
          confirmLabel="Hang up for everyone"
          disabled={action.busy}
          onConfirm={() =>
            control(async () => {
              await live.hangup(id);
              return null;
            })
          }
        />
      }
    >
      <div className="live-panel">
        <p className="live-summary" role="status" aria-live="polite">
          {liveSummary(call)}
        </p>
        <ul className="live-parties" aria-label="Parties">
          {call.parties.map((party) => (
            <PartyItem
              key={party.legId}
              party={party}
              name={livePartyName(party, names)}
              held={party.role === "caller" && call.callerHeld}
              busy={action.busy}
              onMute={() => control(() => live.mute(id, party.legId, !party.muted))}
              onHold={() => control(() => live.hold(id, !call.callerHeld))}
              onRemove={() =>
                control(async () => {
                  await live.removeParticipant(id, party.legId);
                  return live.get(id);
                })
              }
            />
          ))}
        </ul>

        <div className="live-row">
          <span className="live-row-label">Recording</span>
          <Badge tone={recording.tone}>{recording.label}</Badge>
          <span className="live-buttons">
            {recordingActions(call.recording).map(({ action: what, label }) => (
              <button
                key={what}
                type="button"
                className="btn btn-sm"
                disabled={action.busy}
                onClick={() => control(() => record(what))}
              >
                {label}
              </button>
            ))}
          </span>
        </div>

        {call.consultation ? (
          <ConsultationRow call={call} busy={action.busy} onAction={(what) => control(() => consult(what))} />
        ) : (
          <>
            <AddParticipantForm
              allowed={call.participantsAllowed}
              listId={listId}
              submission={action}
              onAdd={(extension) => ring(extension, () => live.addParticipant(id, { kind: "person", extension }))}
            />
            <TransferFormView
              queues={directory?.queues ?? []}
              listId={listId}
              submission={action}
              onTransfer={(request, whom) => ring(whom, () => live.transfer(id, request.target, request.mode))}
            />
          </>
        )}

        <datalist id={listId}>
          {[...names].map(([extension, name]) => (
            <option key={extension} value={extension}>
              {name}
            </option>
          ))}
        </datalist>
        {note ? (
          <div className="notice notice-info" role="status">
            <div className="notice-body">{note}</div>
          </div>
        ) : null}
        {action.error ? <ErrorNotice error={action.error} /> : null}
        {readError && !action.error ? <ErrorNotice error={readError} /> : null}
      </div>
    </Section>
  );

  async function record(what: RecordingAction): Promise<LiveCall | null> {
    const result = await live.record(id, what);
    return { ...call, recording: result.recording };
  }

  async function consult(what: ConsultationAction): Promise<LiveCall | null> {
    return (await live.consultation(id, what)).call;
  }
}

function PartyItem({
  party,
  name,
  held,
  busy,
  onMute,
  onHold,
  onRemove,
}: {
  party: LiveCallParty;
  name: string;
  held: boolean;
  busy: boolean;
  onMute: () => void;
  onHold: () => void;
  onRemove: () => void;
}) {
  const who = party.role === "caller" ? undefined : name;
  return (
    <li className="live-party">
      <span className="live-party-who">
        <span className="live-party-role">{livePartyRole(party.role)}</span>
        {who ? <span className="live-party-name">{who}</span> : null}
        {held ? <Badge tone="warning">On hold</Badge> : null}
        {party.muted ? <Badge tone="warning">Muted</Badge> : null}
      </span>
      <span className="live-buttons">
        {party.role === "caller" ? (
          <button type="button" className="btn btn-sm" disabled={busy} onClick={onHold}>
            {held ? "Resume" : "Hold"}
            <span className="visually-hidden"> the caller</span>
          </button>
        ) : null}
        <button type="button" className="btn btn-sm" disabled={busy} onClick={onMute}>
          {party.muted ? "Unmute" : "Mute"}
          <span className="visually-hidden"> {name}</span>
        </button>
        {party.role === "participant" ? (
          <button type="button" className="btn btn-sm btn-danger-quiet" disabled={busy} onClick={onRemove}>
            Remove<span className="visually-hidden"> {name}</span>
          </button>
        ) : null}
      </span>
    </li>
  );
}

function ConsultationRow({
  call,
  busy,
  onAction,
}: {
  call: LiveCall;
  busy: boolean;
  onAction: (action: ConsultationAction) => void;
}) {
  const consultation = call.consultation;
  if (!consultation) return null;
  const whom = consultedLabel(consultation);
  return (
    <div className="live-row">
      <span className="live-row-label">Consultation</span>
      <Badge tone="accent">{consultation.state === "ringing" ? `Ringing ${whom}` : `Talking to ${whom}`}</Badge>
      <span className="live-buttons">
        <button
          type="button"
          className="btn btn-sm btn-primary"
          disabled={busy || consultation.state !== "talking"}
          onClick={() => onAction("complete")}
        >
          Complete transfer
        </button>
        <button
          type="button"
          className="btn btn-sm"
          disabled={busy || consultation.state !== "talking"}
          onClick={() => onAction("merge")}
        >
          Merge all three
        </button>
        <button type="button" className="btn btn-sm btn-ghost" disabled={busy} onClick={() => onAction("cancel")}>
          Cancel
        </button>
      </span>
    </div>
  );
}

function AddParticipantForm({
  allowed,
  listId,
  submission,
  onAdd,
}: {
  allowed: boolean;
  listId: string;
  submission: Submission;
  onAdd: (extension: string) => void;
}) {
  const [extension, setExtension] = useState("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = extension.trim();
    if (value === "" || submission.busy) return;
    onAdd(value);
  };
  return (
    <form className="live-form" onSubmit={submit} aria-label="Add a participant" noValidate>
      <TextField
        label="Add a participant"
        placeholder="Extension"
        inputMode="numeric"
        list={listId}
        value={extension}
        onChange={setExtension}
        disabled={!allowed}
        hint={allowed ? undefined : "This call's queue has conference mode off: nobody can join it."}
      />
      <button type="submit" className="btn" disabled={!allowed || submission.busy || extension.trim() === ""}>
        Add
      </button>
    </form>
  );
}

function TransferFormView({
  queues,
  listId,
  submission,
  onTransfer,
}: {
  queues: readonly { id: string; name: string }[];
  listId: string;
  submission: Submission;
  onTransfer: (request: TransferRequest, whom: string) => void;
}) {
  const [form, setForm] = useState<TransferForm>(() => emptyTransferForm());
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const set = (change: Partial<TransferForm>) => {
    setForm((f) => ({ ...f, ...change }));
    setProblem(undefined);
  };
  const queueId = form.queueId || queues[0]?.id || "";
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (submission.busy) return;
    const request = transferRequest({ ...form, queueId });
    if ("error" in request) {
      setProblem(request.error);
      return;
    }
    const whom = form.kind === "queue" ? (queues.find((q) => q.id === queueId)?.name ?? "The queue") : form.extension.trim();
    onTransfer(request, whom);
  };
  return (
    <form className="live-form live-transfer" onSubmit={submit} aria-label="Transfer the caller" noValidate>
      <SelectField label="Transfer to" value={form.kind} choices={TRANSFER_KINDS} onChange={(kind) => set({ kind })} />
      {form.kind === "queue" ? (
        <SelectField
          label="Queue"
          value={queueId}
          choices={queues.map((q) => ({ value: q.id, label: q.name }))}
          onChange={(id) => set({ queueId: id })}
          error={problem}
        />
      ) : (
        <>
          <TextField
            label="Extension"
            inputMode="numeric"
            list={listId}
            value={form.extension}
            onChange={(extension) => set({ extension })}
            error={problem}
          />
          <SelectField label="How" value={form.mode} choices={TRANSFER_MODES} onChange={(mode) => set({ mode })} />
        </>
      )}
      <button type="submit" className="btn" disabled={submission.busy}>
        {form.kind === "extension" && form.mode === "consult" ? "Consult" : "Transfer"}
      </button>
    </form>
  );
}
