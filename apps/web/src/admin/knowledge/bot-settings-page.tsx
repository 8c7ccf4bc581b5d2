import type { BotSettings } from "@switchboard/protocol";
import { type FormEvent, useCallback, useEffect, useState } from "react";
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
  newIntent,
  settingsFromForm,
  validateBotSettings,
} from "./bot-settings-form.js";

/** The built-in bot's intent model, synonyms and thresholds. */
export function BotSettingsPage() {
  const client = useClient();
  const load = useCallback((signal: AbortSignal) => client.knowledge.botSettings({ signal }), [client]);
  const { data, error, reload, update } = useResource(load);
  const [version, setVersion] = useState(0);
  if (error && !data) return <ErrorNotice error={error} onRetry={reload} />;
  if (!data) return <Loading />;
  return (
    <BotSettingsEditor
      key={version}
      settings={data}
      onSaved={(saved) => {
        update(() => saved);
        setVersion((v) => v + 1);
      }}
    />
  );
}

function BotSettingsEditor({ settings, onSaved }: { settings: BotSettings; onSaved: (settings: BotSettings) => void }) {
  const client = useClient();
  const [initial] = useState(() => formFromSettings(settings));
  const [form, setForm] = useState<BotSettingsForm>(initial);
  const [showErrors, setShowErrors] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (!saved) return;
    const timer = globalThis.setTimeout(() => setSaved(false), 2500);
    return () => globalThis.clearTimeout(timer);
  }, [saved]);

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
      const result = await client.knowledge.saveBotSettings(settingsFromForm(form));
      setSaved(true);
      onSaved(result);
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
            // biome-ignore lint/suspicious/noArrayIndexKey: intents are edited in place, by position; names change as one types
            <details key={index} className="intent" open={intent.name === "" || shown(`intents.${index}`) !== undefined}>
              <summary className="intent-summary">
                <span className="intent-name">{intent.name || "New intent"}</span>
                <span className="intent-flags">
                  {intent.requiresAgent ? <Badge tone="accent">Needs an agent</Badge> : null}
                  {intent.needsVerification ? <Badge tone="warning">Verify customer</Badge> : null}
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
                  description="The bot passes the conversation to the entry point's queue."
                />
                <Toggle
                  checked={intent.needsVerification}
                  onChange={(value) => setIntent(index, { needsVerification: value })}
                  label="Verify the customer first"
                  description="The bot checks who the customer is (a one-time code) before going on."
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
            </details>
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
        {saved ? (
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
