import type { AutoAttendant, CallTarget, PhoneNumber } from "@switchboard/protocol";
import { SwitchboardError } from "@switchboard/sdk";
import { type FormEvent, useCallback, useId, useState } from "react";
import { Link, useLocation } from "wouter";
import { useBriefly } from "../../shell/data/use-briefly.js";
import { useResource } from "../../shell/data/use-resource.js";
import { formatDateTime } from "../../shell/format/time.js";
import { useClient } from "../../shell/session/session-context.js";
import { Dialog } from "../../shell/ui/dialog.js";
import { useSubmission } from "../../shell/ui/dialog-form.js";
import { Badge, ErrorNotice, Loading } from "../../shell/ui/feedback.js";
import { TextField } from "../../shell/ui/fields.js";
import { Toggle } from "../../shell/ui/form.js";
import { CheckIcon } from "../../shell/ui/icons.js";
import { ConfirmButton, PageHeader, Section } from "../../shell/ui/page.js";
import {
  type AttendantForm,
  attendantInput,
  checkAttendant,
  earlierVersions,
  type FlowField,
  type FlowForm,
  formFromAttendant,
  MAX_RETRIES,
  newAttendantForm,
  type PolicyForm,
} from "./attendant-form.js";
import { AttendantView } from "./attendant-view.js";
import { CallTargetPicker } from "./call-target-picker.js";
import { CALL_KINDS, type TargetDirectory } from "./call-targets.js";
import { type FieldProblem, fieldLabel, messageAt, problemsOf } from "./field-problems.js";
import { FlowEditor, type MenuContext } from "./menu-editor.js";
import { ScheduleEditor } from "./schedule-editor.js";
import { loadTargetDirectory } from "./target-directory.js";
import "./call-flows.css";

/** Voices of the text-to-speech engine (espeak-ng) worth suggesting; the server accepts any it has. */
const VOICES = ["en-us", "en-gb", "en-gb-scotland", "en-gb-x-rp", "en-029", "es", "fr", "de"];

/** One auto attendant: its editor (each save publishes a new version), its numbers and earlier versions; without an id, a new one. */
export function AutoAttendantPage({ id }: { id?: string }) {
  const client = useClient();
  const load = useCallback(
    async (signal: AbortSignal) => {
      const [directory, numbers, attendant] = await Promise.all([
        loadTargetDirectory(client, signal),
        client.telephony.phoneNumbers.list({ signal }),
        id === undefined ? Promise.resolve(undefined) : client.autoAttendants.get(id, { signal }),
      ]);
      return { directory, numbers, attendant };
    },
    [client, id],
  );
  const { data, error, reload, update } = useResource(load);
  // Kept here: a publication remounts the editor (see its key), and the status should outlive that.
  const [justPublished, setJustPublished] = useBriefly<number>(4000);
  const back = { href: "/auto-attendants", label: "Auto attendants" };

  if (!data) {
    return (
      <div className="page">
        <PageHeader back={back} title={id === undefined ? "New auto attendant" : "Auto attendant"} />
        {error ? <ErrorNotice error={error} onRetry={reload} /> : <Loading />}
      </div>
    );
  }
  return (
    <AttendantEditor
      key={`${data.attendant?.id ?? "new"}:${data.attendant?.version ?? 0}`}
      attendant={data.attendant}
      directory={data.directory}
      numbers={data.numbers}
      justPublished={justPublished}
      onPublished={(saved) => {
        update((d) => ({ ...d, attendant: saved }));
        setJustPublished(saved.version);
      }}
      onReload={reload}
    />
  );
}

function AttendantEditor({
  attendant,
  directory,
  numbers,
  justPublished,
  onPublished,
  onReload,
}: {
  attendant: AutoAttendant | undefined;
  directory: TargetDirectory;
  numbers: readonly PhoneNumber[];
  justPublished: number | undefined;
  onPublished: (attendant: AutoAttendant) => void;
  onReload: () => void;
}) {
  const client = useClient();
  const [, navigate] = useLocation();
  const voicesId = useId();
  const [initial] = useState<AttendantForm>(() =>
    attendant ? formFromAttendant(attendant, directory) : newAttendantForm(directory),
  );
  const [form, setForm] = useState(initial);
  const [startedFrom, setStartedFrom] = useState<number | undefined>(undefined);
  const [showErrors, setShowErrors] = useState(false);
  const submission = useSubmission();
  const removal = useSubmission();

  const set = (change: Partial<AttendantForm>) => setForm((f) => ({ ...f, ...change }));
  const local = checkAttendant(form);
  const conflict = submission.error instanceof SwitchboardError && submission.error.code === "auto_attendant.version_conflict";
  // The form's own checks while they fail, else what the server said of the last attempt.
  const problems: FieldProblem[] = showErrors && local.length > 0 ? local : problemsOf(submission.error);
  const dirty = JSON.stringify(attendantInput(form)) !== JSON.stringify(attendantInput(initial));
  const context: MenuContext = { directory, problems, hasOperator: form.operatorOn, autoAttendantId: attendant?.id };
  const answering = attendant
    ? numbers.filter((n) => n.entry.kind === "auto_attendant" && n.entry.autoAttendantId === attendant.id)
    : [];

  const publish = (event: FormEvent) => {
    event.preventDefault();
    setShowErrors(true);
    if (local.length > 0 || submission.busy) return;
    void submission.run(async () => {
      const input = attendantInput(form);
      if (attendant) {
        onPublished(await client.autoAttendants.publish(attendant.id, { ...input, expectedVersion: attendant.version }));
      } else {
        const created = await client.autoAttendants.create(input);
        navigate(`/auto-attendants/${encodeURIComponent(created.id)}`, { replace: true });
      }
    });
  };
  const remove = () =>
    void removal.run(async () => {
      if (!attendant) return;
      await client.autoAttendants.delete(attendant.id);
      navigate("/auto-attendants");
    });

  const flowSection = (field: FlowField, flow: FlowForm, onChange: (flow: FlowForm) => void) => (
    <FlowEditor flow={flow} onChange={onChange} path={field} context={context} />
  );
  const policy = (field: "noInput" | "invalidInput", title: string, hint: string) => {
    const value = form[field];
    const setPolicy = (change: Partial<PolicyForm>) => {
      const next = { ...value, ...change };
      set(field === "noInput" ? { noInput: next } : { invalidInput: next });
    };
    return (
      <fieldset className="stack-sm plain-fieldset" aria-label={title}>
        <h3 className="submenu-title">{title}</h3>
        <div className="policy-row">
          <TextField
            label="Retries"
            hint={`0 to ${MAX_RETRIES}`}
            error={messageAt(problems, `${field}.retries`)}
            value={value.retries}
            onChange={(retries) => setPolicy({ retries })}
            inputMode="numeric"
            maxLength={1}
          />
          <CallTargetPicker<CallTarget>
            label="Then send the call to"
            value={value.target}
            onChange={(target) => setPolicy({ target })}
            kinds={CALL_KINDS}
            directory={directory}
            path={`${field}.target`}
            problems={problems}
            hint={hint}
            excludeAutoAttendantId={attendant?.id}
          />
        </div>
        {messageAt(problems, field, [`${field}.retries`, `${field}.target`]) ? (
          <p className="field-error">{messageAt(problems, field, [`${field}.retries`, `${field}.target`])}</p>
        ) : null}
      </fieldset>
    );
  };

  return (
    <div className="page">
      <PageHeader
        back={{ href: "/auto-attendants", label: "Auto attendants" }}
        title={attendant ? attendant.name : "New auto attendant"}
        description={
          attendant
            ? "Each save publishes a new version; calls in progress keep the version they started with."
            : "A greeting, then a menu callers choose from by key or by voice, on a schedule of your own."
        }
        actions={attendant ? <Badge tone="accent">Version {attendant.version}</Badge> : undefined}
      />
      <div className={attendant ? "split" : "split split-single"}>
        <form className="stack" onSubmit={publish} noValidate aria-label="Auto attendant">
          {startedFrom !== undefined ? (
            <div className="notice notice-info" role="status">
              <div className="notice-body">
                Started from version {startedFrom}: publish to make it the current one (version {(attendant?.version ?? 0) + 1}).
              </div>
            </div>
          ) : null}
          <Section title="General">
            <TextField
              label="Name"
              hint="Numbers, queues and other attendants send calls to it by this name."
              error={messageAt(problems, "name")}
              value={form.name}
              onChange={(name) => set({ name })}
              maxLength={100}
              autoComplete="off"
            />
            <TextField
              label="Voice"
              hint="The text-to-speech voice of its prompts, e.g. en-us or en-gb; empty: the server's default."
              error={messageAt(problems, "voice")}
              value={form.voice}
              onChange={(voice) => set({ voice })}
              list={voicesId}
              maxLength={100}
              autoComplete="off"
              mono
            />
            <datalist id={voicesId}>
              {VOICES.map((v) => (
                <option key={v} value={v} />
              ))}
            </datalist>
            <Toggle
              checked={form.speechInput}
              onChange={(speechInput) => set({ speechInput })}
              label="Speech input"
              description="Callers may say an option's phrases (and names, to dial by name) instead of pressing keys."
            />
            {messageAt(problems, "speechInput") ? <p className="field-error">{messageAt(problems, "speechInput")}</p> : null}
          </Section>

          <Section title="Schedule" description="Which flow answers: business hours, after hours or holidays, in your time zone.">
            <Toggle
              checked={form.scheduled}
              onChange={(scheduled) => set({ scheduled })}
              label="Open on a schedule"
              description="Off: business hours around the clock."
            />
            {form.scheduled ? (
              <ScheduleEditor schedule={form.schedule} onChange={(schedule) => set({ schedule })} problems={problems} />
            ) : null}
          </Section>

          <Section title="Business hours" description="What callers hear while you are open.">
            {flowSection("businessHours", form.businessHours, (businessHours) => set({ businessHours }))}
          </Section>

          <Section title="After hours" description="Outside the weekly hours.">
            <Toggle
              checked={form.afterHoursOn}
              onChange={(afterHoursOn) => set({ afterHoursOn })}
              label="Own after-hours flow"
              description="Off: callers hear a short closed message."
            />
            {form.afterHoursOn ? flowSection("afterHours", form.afterHours, (afterHours) => set({ afterHours })) : null}
          </Section>

          <Section title="Holidays" description="On the schedule's holidays, all day.">
            <Toggle
              checked={form.holidayOn}
              onChange={(holidayOn) => set({ holidayOn })}
              label="Own holiday flow"
              description="Off: the after-hours flow answers on holidays."
            />
            {form.holidayOn ? flowSection("holiday", form.holiday, (holiday) => set({ holiday })) : null}
          </Section>

          <Section title="Operator" description="Where 0 and the menus' operator option go.">
            <Toggle
              checked={form.operatorOn}
              onChange={(operatorOn) => set({ operatorOn })}
              label="An operator"
              description="Usually a person or a queue."
            />
            {form.operatorOn ? (
              <CallTargetPicker<CallTarget>
                label="Operator"
                value={form.operator}
                onChange={(operator) => set({ operator })}
                kinds={CALL_KINDS}
                directory={directory}
                path="operator"
                problems={problems}
                excludeAutoAttendantId={attendant?.id}
              />
            ) : null}
          </Section>

          <Section title="When callers do not choose" description="The menu is offered again, then the call goes on.">
            {policy("noInput", "No input", "For a caller who presses or says nothing.")}
            {policy("invalidInput", "Invalid input", "For a caller who chooses what the menu does not have.")}
          </Section>

          <div className="publish-bar stack-sm">
            {conflict ? (
              <div className="notice notice-error" role="alert">
                <div className="notice-body">
                  <strong>Someone else published a change</strong>
                  <span>
                    A newer version was published since you opened this one. Reload to see it, then make your change again.
                  </span>
                </div>
                <button type="button" className="btn btn-sm" onClick={onReload}>
                  Reload
                </button>
              </div>
            ) : problems.length > 0 ? (
              <ProblemList problems={problems} />
            ) : submission.error ? (
              <ErrorNotice error={submission.error} />
            ) : null}
            <div className="form-footer">
              {justPublished !== undefined && !dirty ? (
                <span className="saved" role="status">
                  <CheckIcon size={16} /> Published version {justPublished}
                </span>
              ) : dirty ? (
                <span className="muted">Unpublished changes</span>
              ) : null}
              <button type="submit" className="btn btn-primary" disabled={submission.busy || (attendant !== undefined && !dirty)}>
                {submission.busy
                  ? "Publishing…"
                  : attendant
                    ? `Publish version ${attendant.version + 1}`
                    : "Create auto attendant"}
              </button>
            </div>
          </div>
        </form>

        {attendant ? (
          <aside className="stack">
            <Section title="Details">
              <dl className="details">
                <dt>Version</dt>
                <dd>{attendant.version}</dd>
                <dt>Published</dt>
                <dd>{formatDateTime(attendant.updatedAt)}</dd>
                <dt>Created</dt>
                <dd>{formatDateTime(attendant.createdAt)}</dd>
                <dt>Answers</dt>
                <dd>
                  {answering.length > 0 ? (
                    <ul className="menu-view" aria-label="Numbers it answers">
                      {answering.map((n) => (
                        <li key={n.id}>
                          <span className="cell-mono">{n.e164}</span>
                          {n.label ? <span className="muted"> {n.label}</span> : null}
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <>
                      No number yet: <Link href="/phone-numbers">point one at it</Link>.
                    </>
                  )}
                </dd>
              </dl>
              <div className="danger-zone">
                <ConfirmButton
                  label="Delete auto attendant"
                  confirmLabel="Delete for good"
                  onConfirm={remove}
                  disabled={removal.busy}
                />
              </div>
              {removal.error ? <ErrorNotice error={removal.error} /> : null}
            </Section>
            {attendant.version > 1 ? (
              <Versions
                attendant={attendant}
                directory={directory}
                onStartFrom={(earlier) => {
                  setForm(formFromAttendant(earlier, directory));
                  setStartedFrom(earlier.version);
                  setShowErrors(false);
                }}
              />
            ) : null}
          </aside>
        ) : null}
      </div>
    </div>
  );
}

/** Every problem in words, by the Publish button: the fields may be far up the page. */
function ProblemList({ problems }: { problems: readonly FieldProblem[] }) {
  return (
    <div className="notice notice-error" role="alert">
      <div className="notice-body">
        <strong>{problems.length === 1 ? "1 problem to fix" : `${problems.length} problems to fix`} before publishing</strong>
        <ul className="notice-fields">
          {problems.map((p) => (
            <li key={`${p.field}:${p.message}`}>
              {fieldLabel(p.field)}: {p.message}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

/** Earlier versions, read-only, with a way to start a change from one of them. */
function Versions({
  attendant,
  directory,
  onStartFrom,
}: {
  attendant: AutoAttendant;
  directory: TargetDirectory;
  onStartFrom: (version: AutoAttendant) => void;
}) {
  const client = useClient();
  const versions = earlierVersions(attendant.version);
  const [chosen, setChosen] = useState(String(versions[0] ?? ""));
  const [open, setOpen] = useState<number | undefined>(undefined);
  const load = useCallback(
    (signal: AbortSignal) =>
      open === undefined ? Promise.resolve(undefined) : client.autoAttendants.version(attendant.id, open, { signal }),
    [client, attendant.id, open],
  );
  const { data, error, reload } = useResource(load);
  return (
    <Section title="Earlier versions" description="What callers heard before; calls that started then still do.">
      <div className="toolbar">
        <label className="filter">
          <span className="filter-label">Version</span>
          <select className="input select" value={chosen} onChange={(e) => setChosen(e.target.value)}>
            {versions.map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="btn btn-sm" onClick={() => setOpen(Number(chosen))}>
          View
        </button>
      </div>
      <Dialog open={open !== undefined} onClose={() => setOpen(undefined)} title={`Version ${open ?? ""}`} wide>
        <div className="dialog-body stack-sm">
          {error ? <ErrorNotice error={error} onRetry={reload} /> : null}
          {data && data.version === open ? (
            <>
              <p className="muted">Published {formatDateTime(data.updatedAt)}.</p>
              <AttendantView attendant={data} directory={directory} />
            </>
          ) : error ? null : (
            <Loading />
          )}
        </div>
        <footer className="dialog-footer">
          <span className="spacer" />
          <button type="button" className="btn btn-ghost" onClick={() => setOpen(undefined)}>
            Close
          </button>
          <button
            type="button"
            className="btn btn-primary"
            disabled={!data || data.version !== open}
            onClick={() => {
              if (data) onStartFrom(data);
              setOpen(undefined);
            }}
          >
            Start a change from it
          </button>
        </footer>
      </Dialog>
    </Section>
  );
}
