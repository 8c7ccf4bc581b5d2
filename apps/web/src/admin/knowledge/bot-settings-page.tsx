import type { BotSettings } from "@switchboard/protocol";
import { type FormEvent, type ReactNode, useCallback, useId, useState } from "react";
import { useBriefly } from "../../shell/data/use-briefly.js";
import { useResource } from "../../shell/data/use-resource.js";
import { useClient } from "../../shell/session/session-context.js";
import { Badge, ErrorNotice, Loading } from "../../shell/ui/feedback.js";
import { Field, Toggle } from "../../shell/ui/form.js";
import { CheckIcon, PlusIcon, TrashIcon } from "../../shell/ui/icons.js";
import { Section } from "../../shell/ui/page.js";
import {
  type BotSettingsForm,
  formFromSettings,
  type IntentForm,
  type IntentRoutingForm,
  MAX_PRIORITY,
  MAX_REQUIRED_SKILLS,
  MAX_SKILL_LEVEL,
  newIntent,
  routingSummary,
  settingsFromForm,
  validateBotSettings,
} from "./bot-settings-form.js";

/** The built-in bot's intent model, synonyms and thresholds. */
export function BotSettingsPage() {
  const client = useClient();
  const load = useCallback((signal: AbortSignal) => client.knowledge.botSettings({ signal }), [client]);
  const { data, error, reload, update } = useResource(load);
  // Suggestions for an intent's queue only: without them the name is typed.
  const loadQueues = useCallback(
    (signal: AbortSignal) => client.queues.list({ signal }).then((queues) => queues.map((q) => q.name).sort()),
    [client],
  );
  const queueNames = useResource(loadQueues).data ?? [];
  const [version, setVersion] = useState(0);
  // Kept here: a save starts the editor afresh (from what the server kept), and "Saved" must outlive that.
  const [saved = false, setSaved] = useBriefly<true>();
  if (error && !data) return <ErrorNotice error={error} onRetry={reload} />;
  if (!data) return <Loading />;
  return (
    <BotSettingsEditor
      key={version}
      settings={data}
      queueNames={queueNames}
      saved={saved}
      onSaved={(settings) => {
        update(() => settings);
        setVersion((v) => v + 1);
        setSaved(true);
      }}
    />
  );
}

function BotSettingsEditor({
  settings,
  queueNames,
  saved,
  onSaved,
}: {
  settings: BotSettings;
  queueNames: readonly string[];
  /** Just saved: says so until the next change. */
  saved: boolean;
  onSaved: (settings: BotSettings) => void;
}) {
  const client = useClient();
  const [initial] = useState(() => formFromSettings(settings));
  const [form, setForm] = useState<BotSettingsForm>(initial);
  const [showErrors, setShowErrors] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);

  const errors = validateBotSettings(form);
  const shown = (key: string) => (showErrors ? errors[key] : undefined);
  const dirty = JSON.stringify(settingsFromForm(form)) !== JSON.stringify(settingsFromForm(initial));
  const setIntent = (index: number, change: Partial<IntentForm>) =>
    setForm((f) => ({ ...f, intents: f.intents.map((intent, i) => (i === index ? { ...intent, ...change } : intent)) }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setShowErrors(true);
    if (Object.keys(errors).length > 0) return;
    setBusy(true);
    setError(undefined);
    try {
      onSaved(await client.knowledge.saveBotSettings(settingsFromForm(form)));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="stack" onSubmit={submit} noValidate aria-label="Bot settings">
      <Section
        title="Confidence"
        description="How sure the bot must be of a knowledge base match before it answers or suggests it."
      >
        <div className="grid-3">
          <NumberField
            label="Answer above"
            value={form.answerThreshold}
            step={0.05}
            min={0}
            max={1}
            error={shown("answerThreshold")}
            hint="0 to 1; higher answers less often, more precisely."
            onChange={(value) => setForm((f) => ({ ...f, answerThreshold: value }))}
          />
          <NumberField
            label="Suggest above"
            value={form.suggestThreshold}
            step={0.05}
            min={0}
            max={1}
            error={shown("suggestThreshold")}
            hint="Below the answer level: offered as “Did you mean…”."
            onChange={(value) => setForm((f) => ({ ...f, suggestThreshold: value }))}
          />
          <NumberField
            label="Hand off after"
            value={form.maxMisunderstandings}
            step={1}
            min={1}
            max={10}
            error={shown("maxMisunderstandings")}
            hint="Messages in a row the bot did not understand."
            onChange={(value) => setForm((f) => ({ ...f, maxMisunderstandings: value }))}
          />
        </div>
      </Section>

      <Section
        title="Intents"
        description="What customers want, learned from examples. An intent can need a person, or a verified customer first."
        actions={
          <button
            type="button"
            className="btn btn-sm"
            onClick={() => setForm((f) => ({ ...f, intents: [...f.intents, newIntent()] }))}
          >
            <PlusIcon size={16} /> Add intent
          </button>
        }
      >
        {form.intents.length === 0 ? <p className="muted">No intents: the bot answers from the knowledge base only.</p> : null}
        <div className="intent-list">
          {form.intents.map((intent, index) => (
            <IntentFold
              // biome-ignore lint/suspicious/noArrayIndexKey: intents are edited in place, by position; names change as one types
              key={index}
              startOpen={intent.name === ""}
              mustOpen={shown(`intents.${index}`) !== undefined || shown(`intents.${index}.routing`) !== undefined}
            >
              <summary className="intent-summary">
                <span className="intent-name">{intent.name || "New intent"}</span>
                <span className="intent-flags">
                  {intent.requiresAgent ? <Badge tone="accent">Needs an agent</Badge> : null}
                  {intent.needsVerification ? <Badge tone="warning">Verify customer</Badge> : null}
                  {routingSummary(intent.routing) ? (
                    <span className="intent-route" title={routingSummary(intent.routing)}>
                      {routingSummary(intent.routing)}
                    </span>
                  ) : null}
                  <span className="muted">{intent.examples.split("\n").filter((l) => l.trim()).length} examples</span>
                </span>
              </summary>
              <div className="intent-body stack-sm">
                {shown(`intents.${index}`) ? <p className="field-error">{shown(`intents.${index}`)}</p> : null}
                <Field label="Name" hint="Lower case and underscores, e.g. order_status.">
                  {(c) => (
                    <input
                      id={c.id}
                      className="input input-mono"
                      value={intent.name}
                      aria-describedby={c.describedBy}
                      onChange={(e) => setIntent(index, { name: e.target.value })}
                      maxLength={64}
                    />
                  )}
                </Field>
                <Field label="Examples" hint="One a line: things customers say when they want this.">
                  {(c) => (
                    <textarea
                      id={c.id}
                      className="input textarea"
                      rows={4}
                      value={intent.examples}
                      aria-describedby={c.describedBy}
                      onChange={(e) => setIntent(index, { examples: e.target.value })}
                    />
                  )}
                </Field>
                <Field label="Reply (optional)" hint="What the bot says when it recognizes the intent.">
                  {(c) => (
                    <textarea
                      id={c.id}
                      className="input textarea"
                      rows={2}
                      value={intent.reply}
                      aria-describedby={c.describedBy}
                      onChange={(e) => setIntent(index, { reply: e.target.value })}
                      maxLength={2000}
                    />
                  )}
                </Field>
                <Toggle
                  checked={intent.requiresAgent}
                  onChange={(value) => setIntent(index, { requiresAgent: value })}
                  label="Hand off to an agent"
                  description="The bot passes the conversation to an agent: in the queue its routing names, or the entry point's."
                />
                <Toggle
                  checked={intent.needsVerification}
                  onChange={(value) => setIntent(index, { needsVerification: value })}
                  label="Verify the customer first"
                  description="The bot checks who the customer is (a one-time code) before going on."
                />
                <IntentRoutingEditor
                  routing={intent.routing}
                  queueNames={queueNames}
                  error={shown(`intents.${index}.routing`)}
                  onChange={(routing) => setIntent(index, { routing })}
                />
                <div>
                  <button
                    type="button"
                    className="btn btn-danger-quiet btn-sm"
                    onClick={() => setForm((f) => ({ ...f, intents: f.intents.filter((_, i) => i !== index) }))}
                  >
                    <TrashIcon size={16} /> Remove intent
                  </button>
                </div>
              </div>
            </IntentFold>
          ))}
        </div>
      </Section>

      <Section
        title="Synonyms"
        description="Words that mean the same to your customers, so a question matches however it is put."
      >
        <Field
          label="Synonym groups"
          hint="One group a line, words separated by commas: bike, bicycle, cycle"
          error={shown("synonyms")}
        >
          {(c) => (
            <textarea
              id={c.id}
              className="input textarea input-mono"
              rows={6}
              value={form.synonyms}
              aria-describedby={c.describedBy}
              aria-invalid={c.invalid}
              onChange={(e) => setForm((f) => ({ ...f, synonyms: e.target.value }))}
            />
          )}
        </Field>
      </Section>

      {error ? <ErrorNotice error={error} /> : null}
      {showErrors && Object.keys(errors).length > 0 ? (
        <p className="field-error" role="alert">
          Some settings need a fix before they can be saved.
        </p>
      ) : null}
      <div className="form-footer">
        {saved && !dirty ? (
          <span className="saved" role="status">
            <CheckIcon size={16} /> Saved
          </span>
        ) : dirty ? (
          <span className="muted">Unsaved changes</span>
        ) : null}
        <button type="submit" className="btn btn-primary" disabled={busy || !dirty}>
          {busy ? "Saving…" : "Save settings"}
        </button>
      </div>
    </form>
  );
}

function NumberField({
  label,
  value,
  onChange,
  step,
  min,
  max,
  hint,
  error,
}: {
  label: string;
  value: number;
  onChange: (value: number) => void;
  step: number;
  min: number;
  max: number;
  hint: string;
  error: string | undefined;
}) {
  return (
    <Field label={label} hint={hint} error={error}>
      {(c) => (
        <input
          id={c.id}
          className="input"
          type="number"
          inputMode="decimal"
          value={Number.isNaN(value) ? "" : value}
          step={step}
          min={min}
          max={max}
          aria-describedby={c.describedBy}
          aria-invalid={c.invalid}
          onChange={(e) => onChange(e.target.value === "" ? Number.NaN : Number(e.target.value))}
        />
      )}
    </Field>
  );
}

/** Where a handoff with the intent goes: its queue, its priority and the skills an agent needs for it. */
function IntentRoutingEditor({
  routing,
  queueNames,
  error,
  onChange,
}: {
  routing: IntentRoutingForm;
  queueNames: readonly string[];
  error: string | undefined;
  onChange: (routing: IntentRoutingForm) => void;
}) {
  const listId = useId();
  const setSkill = (index: number, change: Partial<IntentRoutingForm["requiredSkills"][number]>) =>
    onChange({
      ...routing,
      requiredSkills: routing.requiredSkills.map((s, i) => (i === index ? { ...s, ...change } : s)),
    });
  return (
    <fieldset className="field intent-routing">
      <legend className="field-label">Routing</legend>
      <span className="field-hint">Where a conversation with this intent waits for an agent, and who may take it.</span>
      <div className="grid-2">
        <Field label="Queue" hint="Empty: the entry point's queue.">
          {(c) => (
            <>
              <input
                id={c.id}
                className="input"
                list={listId}
                value={routing.queue}
                aria-describedby={c.describedBy}
                onChange={(e) => onChange({ ...routing, queue: e.target.value })}
                maxLength={100}
                autoComplete="off"
              />
              <datalist id={listId}>
                {queueNames.map((name) => (
                  <option key={name} value={name} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <Field label="Priority" hint={`0 to ${MAX_PRIORITY}, higher goes first. Empty: 0.`}>
          {(c) => (
            <input
              id={c.id}
              className="input"
              inputMode="numeric"
              value={routing.priority}
              aria-describedby={c.describedBy}
              onChange={(e) => onChange({ ...routing, priority: e.target.value })}
              maxLength={2}
            />
          )}
        </Field>
      </div>
      <div className="stack-sm">
        <span className="field-label">Required skills</span>
        {routing.requiredSkills.length === 0 ? <span className="field-hint">None: any agent of the queue.</span> : null}
        {routing.requiredSkills.map((skill, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: skills are edited in place, by position
          <div key={index} className="skill-row">
            <input
              className="input input-mono"
              aria-label={`Skill ${index + 1}`}
              placeholder="e.g. billing"
              value={skill.skill}
              onChange={(e) => setSkill(index, { skill: e.target.value })}
              maxLength={60}
            />
            <span className="muted" aria-hidden="true">
              ≥
            </span>
            <input
              className="input skill-level"
              aria-label={`Minimum level of skill ${index + 1}`}
              inputMode="numeric"
              value={skill.minLevel}
              onChange={(e) => setSkill(index, { minLevel: e.target.value })}
              maxLength={2}
            />
            <button
              type="button"
              className="icon-btn"
              aria-label={`Remove skill ${index + 1}`}
              onClick={() => onChange({ ...routing, requiredSkills: routing.requiredSkills.filter((_, i) => i !== index) })}
            >
              <TrashIcon size={16} />
            </button>
          </div>
        ))}
        {routing.requiredSkills.length < MAX_REQUIRED_SKILLS ? (
          <div>
            <button
              type="button"
              className="btn btn-sm"
              onClick={() => onChange({ ...routing, requiredSkills: [...routing.requiredSkills, { skill: "", minLevel: "1" }] })}
            >
              <PlusIcon size={16} /> Add required skill
            </button>
          </div>
        ) : null}
        <span className="field-hint">{`Levels 0 to ${MAX_SKILL_LEVEL}, as set on each agent.`}</span>
      </div>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

/**
 * An intent folded to its header: open when new (its name still empty) and whenever something in it needs a
 * fix; otherwise as the admin leaves it. Typing a new intent's name does not fold it away.
 */
function IntentFold({ startOpen, mustOpen, children }: { startOpen: boolean; mustOpen: boolean; children: ReactNode }) {
  const [open, setOpen] = useState(startOpen);
  return (
    <details className="intent" open={open || mustOpen} onToggle={(e) => setOpen(e.currentTarget.open)}>
      {children}
    </details>
  );
}
