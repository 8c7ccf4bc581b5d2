import { type ReactNode, useId, useRef } from "react";
import { Field } from "../../shell/ui/form.js";
import {
  BUILT_IN_FLOWS,
  KINDS,
  kindLabel,
  mailboxLabel,
  subjectField,
  type Target,
  type TargetDirectory,
  type TargetKind,
  targetOfKind,
  withMessage,
} from "./call-targets.js";
import { type FieldProblem, messageAt } from "./field-problems.js";
import "./call-flows.css";

const GROUPS = [
  { channel: "both", label: "Calls and chats" },
  { channel: "calls", label: "Calls" },
  { channel: "chats", label: "Chats" },
] as const;

/**
 * Where a call goes: the kind (a queue, an auto attendant, a person, voicemail, a number, hang up, and
 * where a place takes them, a built-in flow or a queue's chat kinds), then the one thing that kind needs.
 * The server's problems under `path` show at the control they name.
 */
export function CallTargetPicker<T extends Target>({
  label,
  value,
  onChange,
  kinds,
  directory,
  path,
  problems,
  hint,
  excludeQueueId,
  excludeAutoAttendantId,
}: {
  label: string;
  value: T;
  onChange: (value: T) => void;
  /** The kinds this place accepts, in the order offered. */
  kinds: readonly T["kind"][];
  directory: TargetDirectory;
  /** The target's field path in the request (`timeout.target`), for the server's problems. */
  path: string;
  problems: readonly FieldProblem[];
  hint?: ReactNode;
  /** A queue's own exceptions cannot send work back to it. */
  excludeQueueId?: string;
  excludeAutoAttendantId?: string;
}) {
  const listId = useId();
  // What was typed or chosen for each kind, so that switching kinds and back keeps it.
  const memory = useRef<Record<string, string>>({});
  const remember = (target: Target) => {
    for (const [field, v] of Object.entries(target)) if (field !== "kind" && typeof v === "string") memory.current[field] = v;
  };
  const change = (next: Target) => {
    remember(next);
    onChange(next as T);
  };
  const switchKind = (kind: TargetKind) => {
    remember(value);
    // A new target starts on the first choice the select offers: never the queue or attendant being edited.
    const offered = {
      ...directory,
      queues: directory.queues.filter((q) => q.id !== excludeQueueId),
      autoAttendants: directory.autoAttendants.filter((a) => a.id !== excludeAutoAttendantId),
    };
    const kept = { ...memory.current };
    if (kept.queueId === excludeQueueId) delete kept.queueId;
    if (kept.autoAttendantId === excludeAutoAttendantId) delete kept.autoAttendantId;
    change(targetOfKind(kind, offered, kept));
  };

  const subject = subjectField(value.kind);
  const subjectPath = subject ? `${path}.${subject}` : undefined;
  const kindError = messageAt(problems, path, subjectPath ? [subjectPath] : []);
  const subjectError = subjectPath ? messageAt(problems, subjectPath) : undefined;
  const grouped = new Set(kinds.map((k) => KINDS[k].channel)).size > 1 && kinds.some((k) => KINDS[k].channel === "chats");
  const kindOptions = (list: readonly TargetKind[]) =>
    list.map((kind) => (
      <option key={kind} value={kind}>
        {kindLabel(kind)}
      </option>
    ));

  return (
    <fieldset className="target-picker" aria-label={label}>
      <div className="target-picker-row">
        <Field label={label} error={kindError} hint={hint ?? KINDS[value.kind]?.hint}>
          {(c) => (
            <select
              id={c.id}
              className="input select"
              value={value.kind}
              aria-describedby={c.describedBy}
              aria-invalid={c.invalid}
              onChange={(e) => switchKind(e.target.value as TargetKind)}
            >
              {grouped
                ? GROUPS.map((group) => {
                    const inGroup = kinds.filter((k) => KINDS[k].channel === group.channel);
                    return inGroup.length > 0 ? (
                      <optgroup key={group.channel} label={group.label}>
                        {kindOptions(inGroup)}
                      </optgroup>
                    ) : null;
                  })
                : kindOptions(kinds)}
              {kinds.includes(value.kind) ? null : <option value={value.kind}>{kindLabel(value.kind)}</option>}
            </select>
          )}
        </Field>
        <Subject
          value={value}
          onChange={change}
          directory={directory}
          error={subjectError}
          listId={listId}
          excludeQueueId={excludeQueueId}
          excludeAutoAttendantId={excludeAutoAttendantId}
        />
      </div>
    </fieldset>
  );
}

function Subject({
  value,
  onChange,
  directory,
  error,
  listId,
  excludeQueueId,
  excludeAutoAttendantId,
}: {
  value: Target;
  onChange: (value: Target) => void;
  directory: TargetDirectory;
  error: string | undefined;
  listId: string;
  excludeQueueId: string | undefined;
  excludeAutoAttendantId: string | undefined;
}) {
  switch (value.kind) {
    case "flow":
      return (
        <Choose
          label="Flow"
          value={value.flow}
          onChange={(flow) => onChange({ ...value, flow })}
          choices={BUILT_IN_FLOWS.map((f) => ({ value: f.value, label: f.label }))}
          unknownLabel={(flow) => flow}
          error={error}
          hint={BUILT_IN_FLOWS.find((f) => f.value === value.flow)?.description}
        />
      );
    case "queue":
      return (
        <Choose
          label="Queue"
          value={value.queueId}
          onChange={(queueId) => onChange({ ...value, queueId })}
          choices={directory.queues.filter((q) => q.id !== excludeQueueId).map((q) => ({ value: q.id, label: q.name }))}
          unknownLabel={(id) => (id === excludeQueueId ? "This queue" : `Unknown queue (${id})`)}
          emptyLabel="No other queue yet"
          error={error}
        />
      );
    case "worker":
      return (
        <Choose
          label="Agent"
          value={value.workerId}
          onChange={(workerId) => onChange({ ...value, workerId })}
          choices={directory.workers.map((w) => ({ value: w.id, label: w.name }))}
          unknownLabel={(id) => `Unknown agent (${id})`}
          emptyLabel="No agents yet"
          error={error}
        />
      );
    case "auto_attendant":
      return (
        <Choose
          label="Auto attendant"
          value={value.autoAttendantId}
          onChange={(autoAttendantId) => onChange({ ...value, autoAttendantId })}
          choices={directory.autoAttendants
            .filter((a) => a.id !== excludeAutoAttendantId)
            .map((a) => ({ value: a.id, label: a.name }))}
          unknownLabel={(id) => (id === excludeAutoAttendantId ? "This auto attendant" : `Unknown auto attendant (${id})`)}
          emptyLabel="No auto attendant yet"
          error={error}
        />
      );
    case "voicemail":
      return (
        <Choose
          label="Mailbox"
          value={value.mailboxId}
          onChange={(mailboxId) => onChange({ ...value, mailboxId })}
          choices={directory.mailboxes.map((m) => ({ value: m.id, label: mailboxLabel(m) }))}
          unknownLabel={(id) => `Unknown mailbox (${id})`}
          emptyLabel="No mailbox yet"
          error={error}
        />
      );
    case "person":
      return (
        <Field label="Extension" error={error} hint={directory.extensions.find((e) => e.extension === value.extension)?.name}>
          {(c) => (
            <>
              <input
                id={c.id}
                className="input input-mono"
                value={value.extension}
                list={listId}
                aria-describedby={c.describedBy}
                aria-invalid={c.invalid}
                onChange={(e) => onChange({ ...value, extension: e.target.value.trim() })}
                inputMode="numeric"
                placeholder="1001"
                maxLength={8}
                autoComplete="off"
              />
              <datalist id={listId}>
                {directory.extensions.map((e) => (
                  <option key={e.extension} value={e.extension}>
                    {e.name}
                  </option>
                ))}
              </datalist>
            </>
          )}
        </Field>
      );
    case "external_number":
      return (
        <Field label="Number" error={error} hint="In E.164, e.g. +14155550100.">
          {(c) => (
            <input
              id={c.id}
              className="input input-mono"
              value={value.number}
              aria-describedby={c.describedBy}
              aria-invalid={c.invalid}
              onChange={(e) => onChange({ ...value, number: e.target.value.trim() })}
              inputMode="tel"
              placeholder="+14155550100"
              maxLength={32}
              autoComplete="off"
            />
          )}
        </Field>
      );
    case "disconnect":
    case "end":
      return (
        <Field label={value.kind === "end" ? "Message" : "Message (optional)"} error={error}>
          {(c) => (
            <input
              id={c.id}
              className="input"
              value={value.message ?? ""}
              aria-describedby={c.describedBy}
              aria-invalid={c.invalid}
              onChange={(e) => onChange(withMessage(value, e.target.value))}
              placeholder={value.kind === "end" ? "Sorry, we are closed. Please write again tomorrow." : "Goodbye."}
              maxLength={value.kind === "end" ? 1000 : 2000}
            />
          )}
        </Field>
      );
    case "leave_message":
      return <span className="target-picker-none" />;
  }
}

/** A select of the directory's entries; a value it does not list (deleted meanwhile) stays visible. */
function Choose({
  label,
  value,
  onChange,
  choices,
  unknownLabel,
  emptyLabel,
  error,
  hint,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  choices: { value: string; label: string }[];
  unknownLabel: (value: string) => string;
  emptyLabel?: string;
  error: string | undefined;
  hint?: ReactNode;
}) {
  const listed = choices.some((c) => c.value === value);
  return (
    <Field label={label} error={error} hint={hint}>
      {(c) => (
        <select
          id={c.id}
          className="input select"
          value={value}
          aria-describedby={c.describedBy}
          aria-invalid={c.invalid}
          onChange={(e) => onChange(e.target.value)}
        >
          {value === "" ? <option value="">{choices.length === 0 ? (emptyLabel ?? "None yet") : "Choose…"}</option> : null}
          {choices.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
          {!listed && value !== "" ? <option value={value}>{unknownLabel(value)}</option> : null}
        </select>
      )}
    </Field>
  );
}
