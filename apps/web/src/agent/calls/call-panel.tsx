import type { WebCall } from "@switchboard/sdk";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { useNow } from "../../shell/data/use-now.js";
import { CloseIcon, MicIcon, PhoneIcon } from "../../shell/ui/icons.js";
import { AddPersonIcon, HangUpIcon, KeypadIcon, MicOffIcon, PauseIcon, RecordIcon, TransferIcon } from "./call-icons.js";
import {
  appendDigits,
  callerLabel,
  callQuality,
  directRinging,
  endedSummary,
  formatCallTime,
  KEYPAD,
  keypadKey,
  QUALITY_LABEL,
  qualityFigures,
  transferTargetOf,
} from "./call-state.js";
import { ExtensionOrNumberField } from "./dial-out.js";
import type { Calling } from "./use-calling.js";

/**
 * The phone side of the desk, under the offers: a problem to read (the microphone refused), the call in progress
 * with its controls and line quality, or how the last one ended.
 */
export function CallArea({ calling, queues }: { calling: Calling; queues: readonly { id: string; name: string }[] }) {
  const { active, alert, lastEnded } = calling;
  const showEnded = !active && lastEnded !== undefined;
  const ringing = directRinging(calling.snapshot.calls);

  // A summary fades after a while; an alert stays until read.
  useEffect(() => {
    if (!showEnded) return;
    const timer = globalThis.setTimeout(calling.dismissEnded, 10_000);
    return () => globalThis.clearTimeout(timer);
  }, [showEnded, calling.dismissEnded]);

  if (!active && !alert && !showEnded && ringing.length === 0) return null;
  return (
    <div className="desk-call">
      {ringing.map((call) => (
        <RingingCall key={call.legId} call={call} calling={calling} />
      ))}
      {alert ? (
        <div className="call-alert" role="alert">
          <MicOffIcon size={16} />
          <span className="call-note-text">{alert}</span>
          <button type="button" className="icon-btn" aria-label="Dismiss" onClick={calling.dismissAlert}>
            <CloseIcon size={16} />
          </button>
        </div>
      ) : null}
      {active ? <CallPanel key={active.legId} calling={calling} queues={queues} /> : null}
      {showEnded && lastEnded ? (
        <div className="call-ended" role="status">
          <PhoneIcon size={16} />
          <span className="call-note-text">{endedSummary(lastEnded)}</span>
          <button type="button" className="icon-btn" aria-label="Dismiss" onClick={calling.dismissEnded}>
            <CloseIcon size={16} />
          </button>
        </div>
      ) : null}
    </div>
  );
}

function CallPanel({ calling, queues }: { calling: Calling; queues: readonly { id: string; name: string }[] }) {
  const call = calling.active;
  const now = useNow(1000, call?.phase === "connected");
  const audioRef = useRef<HTMLAudioElement>(null);
  const [keypadOpen, setKeypadOpen] = useState(false);
  const [panelForm, setPanelForm] = useState<"transfer" | "add" | undefined>(undefined);
  const toggleForm = (form: "transfer" | "add") => setPanelForm((open) => (open === form ? undefined : form));
  const [digits, setDigits] = useState("");
  const [holding, setHolding] = useState(false);
  const remoteStream = call?.remoteStream;

  // The caller's voice: the remote stream plays through an autoplaying element (answering was the user gesture).
  useEffect(() => {
    const audio = audioRef.current;
    if (!audio || !remoteStream) return;
    audio.srcObject = remoteStream;
    void audio.play().catch(() => {});
    return () => {
      audio.srcObject = null;
    };
  }, [remoteStream]);

  if (!call) return null;
  const connected = call.phase === "connected";
  const { stats } = calling;
  const quality = callQuality(stats);
  const figures = qualityFigures(stats);
  const caller = callerLabel(call.from);

  const press = (key: string) => {
    calling.sendDtmf(key);
    setDigits((d) => appendDigits(d, key));
  };

  const toggleHold = async () => {
    setHolding(true);
    try {
      await calling.hold(!call.held);
    } finally {
      setHolding(false);
    }
  };

  return (
    <section
      className={`call-panel${call.held ? " call-panel-held" : ""}`}
      aria-label="Call"
      data-call-id={call.callId}
      data-leg-id={call.legId}
      data-phase={call.phase}
      data-audio-energy={stats?.totalAudioEnergy ?? 0}
      data-packets-received={stats?.packetsReceived ?? 0}
    >
      <div className="call-who">
        <span className={`call-avatar${connected ? " call-avatar-live" : ""}`} aria-hidden="true">
          <PhoneIcon size={18} />
        </span>
        <div className="call-title-block">
          <span className="call-kicker">
            {connected ? "On a call" : call.phase === "placing" ? "Calling…" : "Connecting…"}
            {call.queueName ? ` · ${call.queueName}` : ""}
          </span>
          <h2 className="call-title">{caller}</h2>
          {call.from.name && call.from.number ? <span className="call-subtitle">{call.from.number}</span> : null}
        </div>
        <div className="call-state-tags">
          {call.held ? <span className="tag tag-warning">On hold</span> : null}
          {call.muted ? <span className="tag tag-danger-soft">Muted</span> : null}
          {calling.recording === "on" ? <span className="tag tag-danger-soft">Recording</span> : null}
        </div>
        <span className="call-timer" role="timer" aria-label="Call time">
          {connected && call.connectedAt !== undefined ? formatCallTime(now - call.connectedAt) : "–:––"}
        </span>
      </div>

      <div
        className={`call-quality call-quality-${quality}`}
        data-quality={quality}
        title="Line quality as this browser measures it, renewed every 2 seconds"
      >
        <span className="quality-bars" aria-hidden="true">
          <span className="quality-bar" />
          <span className="quality-bar" />
          <span className="quality-bar" />
        </span>
        <span className="quality-label">{QUALITY_LABEL[quality]}</span>
        <dl className="quality-figures" aria-label="Line quality">
          <div>
            <dt>Loss</dt>
            <dd>{figures.loss}</dd>
          </div>
          <div>
            <dt>Jitter</dt>
            <dd>{figures.jitter}</dd>
          </div>
          <div>
            <dt>RTT</dt>
            <dd>{figures.rtt}</dd>
          </div>
        </dl>
      </div>

      <div className="call-controls">
        <button
          type="button"
          className={`call-control${call.muted ? " call-control-on" : ""}`}
          aria-pressed={call.muted}
          disabled={!connected}
          onClick={() => calling.setMuted(!call.muted)}
        >
          {call.muted ? <MicOffIcon /> : <MicIcon />}
          <span>{call.muted ? "Unmute" : "Mute"}</span>
        </button>
        <button
          type="button"
          className={`call-control${call.held ? " call-control-on" : ""}`}
          aria-pressed={call.held}
          disabled={!connected || holding}
          onClick={() => void toggleHold()}
        >
          <PauseIcon />
          <span>{call.held ? "Resume" : "Hold"}</span>
        </button>
        <button
          type="button"
          className={`call-control${keypadOpen ? " call-control-on" : ""}`}
          aria-expanded={keypadOpen}
          aria-controls="call-keypad"
          disabled={!connected}
          onClick={() => setKeypadOpen((o) => !o)}
        >
          <KeypadIcon />
          <span>Keypad</span>
        </button>
        <button
          type="button"
          className={`call-control${panelForm === "transfer" ? " call-control-on" : ""}`}
          aria-expanded={panelForm === "transfer"}
          aria-controls="call-transfer"
          disabled={!connected}
          onClick={() => toggleForm("transfer")}
        >
          <TransferIcon />
          <span>Transfer</span>
        </button>
        <button
          type="button"
          className={`call-control${panelForm === "add" ? " call-control-on" : ""}`}
          aria-expanded={panelForm === "add"}
          aria-controls="call-add"
          disabled={!connected || !calling.participantsAllowed}
          title={
            calling.participantsAllowed ? "Bring a colleague or an expert into the call" : "This queue's calls are one to one"
          }
          onClick={() => toggleForm("add")}
        >
          <AddPersonIcon />
          <span>Add</span>
        </button>
        <button
          type="button"
          className={`call-control${calling.recording === "on" ? " call-control-on" : ""}`}
          aria-pressed={calling.recording === "on"}
          disabled={!connected}
          title="The caller hears that the call is recorded first"
          onClick={() => void calling.record(calling.recording !== "on")}
        >
          <RecordIcon />
          <span>{calling.recording === "on" ? "Stop rec." : "Record"}</span>
        </button>
        {calling.microphones.length > 1 ? (
          <label className="call-mic">
            <span className="visually-hidden">Microphone</span>
            <select
              className="input select call-mic-select"
              value={calling.inputDeviceId ?? ""}
              onChange={(e) => void calling.setInputDevice(e.target.value)}
            >
              {calling.inputDeviceId === undefined ? <option value="">Default microphone</option> : null}
              {calling.microphones.map((m) => (
                <option key={m.deviceId} value={m.deviceId}>
                  {m.label}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <button type="button" className="btn btn-danger call-hangup" onClick={calling.hangup}>
          <HangUpIcon />
          Hang up
        </button>
      </div>

      {keypadOpen && connected ? (
        <fieldset
          id="call-keypad"
          className="call-keypad"
          aria-label="Keypad"
          onKeyDown={(event) => {
            const key = keypadKey(event.key);
            if (!key || event.altKey || event.ctrlKey || event.metaKey) return;
            event.preventDefault();
            press(key);
          }}
        >
          <output className="call-digits" aria-label="Keys sent">
            {digits || <span className="muted">Keys you press are sent to the caller</span>}
          </output>
          <div className="call-keys">
            {KEYPAD.map(({ key, letters }) => (
              <button key={key} type="button" className="call-key" aria-label={`Key ${key}`} onClick={() => press(key)}>
                <span className="call-key-digit">{key}</span>
                <span className="call-key-letters">{letters}</span>
              </button>
            ))}
          </div>
        </fieldset>
      ) : null}

      {calling.consultation ? (
        <div className="call-consultation" role="status" aria-label="Consultation">
          <span>
            {calling.consultation.state === "ringing"
              ? `Calling ${calling.consultation.target}… the caller hears music`
              : `Talking to ${calling.consultation.target}; the caller hears music`}
          </span>
          <div className="call-consultation-actions">
            <button type="button" className="btn" onClick={() => void calling.finishConsultation("cancel")}>
              Back to caller
            </button>
            <button
              type="button"
              className="btn"
              disabled={calling.consultation.state !== "talking"}
              onClick={() => void calling.finishConsultation("merge")}
            >
              All three talk
            </button>
            <button
              type="button"
              className="btn btn-primary"
              disabled={calling.consultation.state !== "talking"}
              onClick={() => void calling.finishConsultation("complete")}
            >
              Complete transfer
            </button>
          </div>
        </div>
      ) : null}
      {panelForm && connected && !calling.consultation ? (
        <TargetForm key={panelForm} action={panelForm} calling={calling} queues={queues} />
      ) : null}

      {/* biome-ignore lint/a11y/useMediaCaption: a live phone call has no captions to offer */}
      <audio ref={audioRef} autoPlay className="call-audio" />
    </section>
  );
}

/** A call ringing this browser directly (transferred to the agent, or a colleague's): answer or decline. */
function RingingCall({ call, calling }: { call: WebCall; calling: Calling }) {
  const [busy, setBusy] = useState(false);
  const titleId = `ringing-${call.legId}-title`;
  return (
    <section className="ringing-call" aria-labelledby={titleId} data-leg-id={call.legId}>
      <span className="offer-icon offer-icon-call" aria-hidden="true">
        <PhoneIcon size={18} />
      </span>
      <div className="call-title-block">
        <span className="call-kicker">Incoming call{call.queueName ? ` · ${call.queueName}` : " · transferred or direct"}</span>
        <h2 className="call-title" id={titleId}>
          {callerLabel(call.from)}
        </h2>
      </div>
      <div className="offer-actions">
        <button type="button" className="btn" disabled={busy} onClick={() => calling.reject(call.legId)}>
          Decline
        </button>
        <button
          type="button"
          className="btn btn-primary"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            void calling.answer(call.legId).finally(() => setBusy(false));
          }}
        >
          Answer
        </button>
      </div>
    </section>
  );
}

/**
 * Who to hand the call to (Transfer: blind, to a colleague's extension, a number or one of the agent's queues)
 * or to bring in (Add: an expert at an extension or a number joins the three-way call).
 */
function TargetForm({
  action,
  calling,
  queues,
}: {
  action: "transfer" | "add";
  calling: Calling;
  queues: readonly { id: string; name: string }[];
}) {
  const [typed, setTyped] = useState("");
  const [queueId, setQueueId] = useState("");
  const [consult, setConsult] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const typedTarget = transferTargetOf(typed);
  const transfer = action === "transfer";

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (transfer && queueId) {
      setBusy(true);
      setProblem(await calling.transfer({ kind: "queue", queueId }));
      setBusy(false);
      return;
    }
    if (!typedTarget) {
      setProblem(
        transfer
          ? "Type a colleague's extension (e.g. 1002) or a number with its country code (+15550100), or pick a queue."
          : "Type a colleague's extension (e.g. 1002) or a number with its country code (+15550100).",
      );
      return;
    }
    setBusy(true);
    setProblem(undefined);
    setProblem(
      transfer ? await calling.transfer(typedTarget, consult ? "consult" : "blind") : await calling.addParticipant(typedTarget),
    );
    setBusy(false);
    if (!transfer) setTyped("");
  };

  return (
    <form
      id={`call-${action}`}
      className="call-transfer"
      aria-label={transfer ? "Transfer the call" : "Add someone to the call"}
      onSubmit={(e) => void submit(e)}
    >
      <ExtensionOrNumberField value={typed} onChange={setTyped} disabled={queueId !== ""} />
      {transfer ? (
        <>
          <span className="call-transfer-or">or</span>
          <label className="call-transfer-field">
            <span>Queue</span>
            <select className="input select" value={queueId} onChange={(e) => setQueueId(e.target.value)}>
              <option value="">Choose a queue</option>
              {queues.map((q) => (
                <option key={q.id} value={q.id}>
                  {q.name}
                </option>
              ))}
            </select>
          </label>
        </>
      ) : null}
      {transfer ? (
        <label className="call-transfer-consult">
          <input type="checkbox" checked={consult} disabled={queueId !== ""} onChange={(e) => setConsult(e.target.checked)} />
          Talk to them first
        </label>
      ) : null}
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {transfer ? (busy ? (consult ? "Calling…" : "Transferring…") : "Transfer") : busy ? "Calling…" : "Add to call"}
      </button>
      {problem ? (
        <p className="call-transfer-problem" role="alert">
          {problem}
        </p>
      ) : null}
    </form>
  );
}
