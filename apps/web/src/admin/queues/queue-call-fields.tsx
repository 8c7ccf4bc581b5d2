import type { RedirectTarget } from "@switchboard/protocol";
import { SelectField, TextField } from "../../shell/ui/fields.js";
import { Toggle } from "../../shell/ui/form.js";
import { AnnouncementField } from "../auto-attendants/announcement-field.js";
import { CallTargetPicker } from "../auto-attendants/call-target-picker.js";
import { REDIRECT_KINDS, type TargetDirectory } from "../auto-attendants/call-targets.js";
import { type FieldProblem, messageAt } from "../auto-attendants/field-problems.js";
import { type CallSettingsForm, type ExceptionsForm, NO_AGENTS_WHEN, type NoAgentsWhen } from "./queue-form.js";

/** What a phone caller waiting in the queue hears, and how the agent is connected. */
export function CallSettingsFields({
  call,
  onChange,
  problems,
}: {
  call: CallSettingsForm;
  onChange: (call: CallSettingsForm) => void;
  problems: readonly FieldProblem[];
}) {
  const set = (change: Partial<CallSettingsForm>) => onChange({ ...call, ...change });
  const shown = ["call.greeting", "call.music", "call.announceEverySeconds"];
  const rest = messageAt(problems, "call", shown);
  return (
    <fieldset className="plain-fieldset stack-sm" aria-label="Phone calls">
      <h3 className="form-section-title">Phone calls</h3>
      <AnnouncementField
        label="Greeting"
        value={call.greeting}
        onChange={(greeting) => set({ greeting })}
        path="call.greeting"
        problems={problems}
        hint="Said once when a caller arrives. Empty: none."
        placeholder="Thank you for calling. An agent will be with you shortly."
      />
      <AnnouncementField
        label="Music on hold"
        value={call.music}
        onChange={(music) => set({ music })}
        path="call.music"
        problems={problems}
        noneLabel="Default track"
        sources={["recording"]}
        hint="The default track ships with Switchboard; or upload a WAV file (any rate; kept as telephone audio), or name a recording by its id."
      />
      <TextField
        label="Announce every (s)"
        hint="The caller's position and expected wait: 10 to 600 seconds, 0 for never."
        error={messageAt(problems, "call.announceEverySeconds")}
        value={call.announceEverySeconds}
        onChange={(announceEverySeconds) => set({ announceEverySeconds })}
        inputMode="numeric"
        maxLength={3}
      />
      <Toggle
        checked={call.announcePosition}
        onChange={(announcePosition) => set({ announcePosition })}
        label="Announce the position"
        description="“You are number 3 in line.”"
      />
      <Toggle
        checked={call.announceExpectedWait}
        onChange={(announceExpectedWait) => set({ announceExpectedWait })}
        label="Announce the expected wait"
        description="From the queue's recent answered calls."
      />
      <Toggle
        checked={call.conferenceMode}
        onChange={(conferenceMode) => set({ conferenceMode })}
        label="Conference mode"
        description="The agent joins the caller in a conference, so that an expert can be added to the call."
      />
      {rest ? <p className="field-error">{rest}</p> : null}
    </fieldset>
  );
}

/** The overflow, timeout and no-agents rules, each with where it sends the work (any redirect target). */
export function ExceptionsFields({
  value,
  onChange,
  problems,
  directory,
  queueId,
  saved,
}: {
  value: ExceptionsForm;
  onChange: (value: ExceptionsForm) => void;
  problems: readonly FieldProblem[];
  directory: TargetDirectory;
  /** The queue being edited: its own exceptions cannot send work back to it. */
  queueId: string | undefined;
  /** The saved exceptions in words, when there are any. */
  saved: readonly string[];
}) {
  const { overflow, timeout, noAgents } = value;
  const picker = (label: string, path: string, target: RedirectTarget, set: (target: RedirectTarget) => void) => (
    <CallTargetPicker<RedirectTarget>
      label={label}
      value={target}
      onChange={set}
      kinds={REDIRECT_KINDS}
      directory={directory}
      path={path}
      problems={problems}
      excludeQueueId={queueId}
    />
  );
  const rest = (path: string, shown: string[]) => {
    const message = messageAt(problems, path, shown);
    return message ? <p className="field-error">{message}</p> : null;
  };
  return (
    <fieldset className="plain-fieldset stack-sm" aria-label="Exceptions">
      <h3 className="form-section-title">Exceptions</h3>
      <p className="field-hint">
        {saved.length > 0 ? `Saved: ${saved.join(", ")}.` : "None saved: work waits until an agent takes it."}
      </p>

      <Toggle
        checked={overflow.on}
        onChange={(on) => onChange({ ...value, overflow: { ...overflow, on } })}
        label="Overflow"
        description="When too many wait, new arrivals go elsewhere at once."
      />
      {overflow.on ? (
        <div className="exception-fields">
          <TextField
            label="More than (waiting)"
            hint="0 to 200; 0: every arrival."
            error={messageAt(problems, "overflow.threshold")}
            value={overflow.threshold}
            onChange={(threshold) => onChange({ ...value, overflow: { ...overflow, threshold } })}
            inputMode="numeric"
            maxLength={3}
          />
          {picker("Overflow to", "overflow.target", overflow.target, (target) =>
            onChange({ ...value, overflow: { ...overflow, target } }),
          )}
        </div>
      ) : null}
      {rest("overflow", ["overflow.threshold", "overflow.target"])}

      <Toggle
        checked={timeout.on}
        onChange={(on) => onChange({ ...value, timeout: { ...timeout, on } })}
        label="Timeout"
        description="Work that waited this long goes elsewhere, even while an agent's phone rings."
      />
      {timeout.on ? (
        <div className="exception-fields">
          <TextField
            label="After (s)"
            hint="0 to 2700 (45 minutes)."
            error={messageAt(problems, "timeout.seconds")}
            value={timeout.seconds}
            onChange={(seconds) => onChange({ ...value, timeout: { ...timeout, seconds } })}
            inputMode="numeric"
            maxLength={4}
          />
          {picker("Time out to", "timeout.target", timeout.target, (target) =>
            onChange({ ...value, timeout: { ...timeout, target } }),
          )}
        </div>
      ) : null}
      {rest("timeout", ["timeout.seconds", "timeout.target"])}

      <Toggle
        checked={noAgents.on}
        onChange={(on) => onChange({ ...value, noAgents: { ...noAgents, on } })}
        label="No agents"
        description="When nobody could take the work, as it arrives."
      />
      {noAgents.on ? (
        <div className="stack-sm">
          <div className="grid-2">
            <SelectField<NoAgentsWhen>
              label="When"
              error={messageAt(problems, "noAgents.when")}
              value={noAgents.when}
              onChange={(when) => onChange({ ...value, noAgents: { ...noAgents, when } })}
              choices={NO_AGENTS_WHEN}
            />
            <SelectField<"queue" | "redirect">
              label="Then"
              value={noAgents.queueAnyway ? "queue" : "redirect"}
              onChange={(then) => onChange({ ...value, noAgents: { ...noAgents, queueAnyway: then === "queue" } })}
              choices={[
                { value: "redirect", label: "Send it elsewhere" },
                { value: "queue", label: "Queue anyway" },
              ]}
            />
          </div>
          {noAgents.queueAnyway
            ? null
            : picker("No agents: send to", "noAgents.target", noAgents.target, (target) =>
                onChange({ ...value, noAgents: { ...noAgents, target } }),
              )}
        </div>
      ) : null}
      {rest("noAgents", ["noAgents.when", "noAgents.target"])}
    </fieldset>
  );
}
