import type { EntryPoint, Identity } from "@switchboard/protocol";
import { type FormEvent, useCallback, useState } from "react";
import { useLocation } from "wouter";
import { useBriefly } from "../../shell/data/use-briefly.js";
import { useResource } from "../../shell/data/use-resource.js";
import { fieldError } from "../../shell/errors/describe-error.js";
import { formatDateTime } from "../../shell/format/time.js";
import { useClient } from "../../shell/session/session-context.js";
import { CodeBlock } from "../../shell/ui/code-block.js";
import { Badge, ErrorNotice, Loading } from "../../shell/ui/feedback.js";
import { Field, ListEditor, Toggle } from "../../shell/ui/form.js";
import { CheckIcon } from "../../shell/ui/icons.js";
import { ConfirmButton, PageHeader, Section } from "../../shell/ui/page.js";
import { loadBots } from "./bots.js";
import { BusinessHoursEditor } from "./business-hours-editor.js";
import { type EntryPointForm, formFromEntryPoint, inputFromForm, newEntryPointForm, validateForm } from "./entry-point-form.js";
import { parseOrigin } from "./origins.js";

/** One entry point's settings and embed code; without an id, the form for a new one. */
export function EntryPointPage({ id }: { id?: string }) {
  const client = useClient();
  const load = useCallback(
    async (signal: AbortSignal) => {
      const [entryPoint, bots] = await Promise.all([
        id === undefined ? Promise.resolve(undefined) : client.entryPoints.get(id, { signal }),
        loadBots(client, signal),
      ]);
      return { entryPoint, bots };
    },
    [client, id],
  );
  const { data, error, reload, update } = useResource(load);
  const back = { href: "/entry-points", label: "Entry points" };

  if (error && !data) {
    return (
      <div className="page">
        <PageHeader back={back} title="Entry point" />
        <ErrorNotice error={error} onRetry={reload} />
      </div>
    );
  }
  if (!data) {
    return (
      <div className="page">
        <PageHeader back={back} title={id === undefined ? "New entry point" : "Entry point"} />
        <Loading />
      </div>
    );
  }
  return (
    <EntryPointEditor
      // A saved version starts the form afresh from what the server kept.
      key={data.entryPoint?.updatedAt ?? "new"}
      entryPoint={data.entryPoint}
      bots={data.bots}
      onSaved={(saved) => update((d) => ({ ...d, entryPoint: saved }))}
    />
  );
}

function EntryPointEditor({
  entryPoint,
  bots,
  onSaved,
}: {
  entryPoint: EntryPoint | undefined;
  bots: Identity[];
  onSaved: (entryPoint: EntryPoint) => void;
}) {
  const client = useClient();
  const [, navigate] = useLocation();
  const [initial] = useState<EntryPointForm>(() =>
    entryPoint ? formFromEntryPoint(entryPoint) : newEntryPointForm(bots[0]?.id ?? null),
  );
  const [form, setForm] = useState(initial);
  const [showErrors, setShowErrors] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<unknown>(undefined);
  const [justSaved = false, setJustSaved] = useBriefly<true>();

  const set = <K extends keyof EntryPointForm>(key: K, value: EntryPointForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const errors = validateForm(form);
  const shown = (field: string): string | undefined => (showErrors ? errors[field] : undefined) ?? fieldError(saveError, field);
  const dirty = JSON.stringify(inputFromForm(form)) !== JSON.stringify(inputFromForm(initial));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setShowErrors(true);
    if (Object.keys(errors).length > 0) return;
    setSaving(true);
    setSaveError(undefined);
    try {
      const input = inputFromForm(form);
      if (entryPoint) {
        const saved = await client.entryPoints.update(entryPoint.id, input);
        setJustSaved(true);
        onSaved(saved);
      } else {
        const created = await client.entryPoints.create(input);
        navigate(`/entry-points/${encodeURIComponent(created.id)}`, { replace: true });
      }
    } catch (e) {
      setSaveError(e);
    } finally {
      setSaving(false);
    }
  };

  const remove = async () => {
    if (!entryPoint) return;
    setSaving(true);
    try {
      await client.entryPoints.delete(entryPoint.id);
      navigate("/entry-points");
    } catch (e) {
      setSaveError(e);
      setSaving(false);
    }
  };

  return (
    <div className="page">
      <PageHeader
        back={{ href: "/entry-points", label: "Entry points" }}
        title={entryPoint ? entryPoint.name : "New entry point"}
        description={
          entryPoint
            ? "Web chat. Changes apply to new conversations as soon as you save."
            : "A chat widget for one website or app. You get its embed code once it is created."
        }
        actions={
          entryPoint ? (
            <Badge tone={entryPoint.enabled ? "success" : "neutral"}>{entryPoint.enabled ? "Enabled" : "Disabled"}</Badge>
          ) : undefined
        }
      />
      <div className={entryPoint ? "split" : "split split-single"}>
        <form className="stack" onSubmit={submit} noValidate aria-label="Entry point settings">
          <Section title="General">
            <Field label="Name" error={shown("name")} hint="Only your team sees it.">
              {(c) => (
                <input
                  id={c.id}
                  className="input"
                  value={form.name}
                  aria-describedby={c.describedBy}
                  aria-invalid={c.invalid}
                  onChange={(e) => set("name", e.target.value)}
                  placeholder="Website"
                  maxLength={200}
                />
              )}
            </Field>
            <Field label="Greeting" error={shown("greeting")} hint="The first message a customer sees when the chat opens.">
              {(c) => (
                <textarea
                  id={c.id}
                  className="input textarea"
                  rows={3}
                  value={form.greeting}
                  aria-describedby={c.describedBy}
                  onChange={(e) => set("greeting", e.target.value)}
                  maxLength={1000}
                />
              )}
            </Field>
            <Toggle
              checked={form.enabled}
              onChange={(value) => set("enabled", value)}
              label="Enabled"
              description="When off, the widget does not start new conversations."
            />
          </Section>

          <Section
            title="Bot and handoff"
            description="The bot answers first and hands the conversation to a queue when a person is needed."
          >
            <Field label="Bot" error={shown("botIdentityId")}>
              {(c) => (
                <select
                  id={c.id}
                  className="input select"
                  value={form.botIdentityId ?? ""}
                  aria-describedby={c.describedBy}
                  onChange={(e) => set("botIdentityId", e.target.value === "" ? null : e.target.value)}
                >
                  <option value="">No bot: straight to the queue</option>
                  {bots.map((bot) => (
                    <option key={bot.id} value={bot.id}>
                      {bot.displayName || bot.id}
                    </option>
                  ))}
                  {form.botIdentityId !== null && !bots.some((b) => b.id === form.botIdentityId) ? (
                    <option value={form.botIdentityId}>Unknown bot ({form.botIdentityId})</option>
                  ) : null}
                </select>
              )}
            </Field>
            <Field
              label="Handoff queue"
              error={shown("handoffQueue")}
              hint="Agents serving this queue get the conversations the bot hands off."
            >
              {(c) => (
                <input
                  id={c.id}
                  className="input"
                  value={form.handoffQueue}
                  aria-describedby={c.describedBy}
                  aria-invalid={c.invalid}
                  onChange={(e) => set("handoffQueue", e.target.value)}
                  maxLength={100}
                />
              )}
            </Field>
          </Section>

          <Section title="Business hours">
            <Toggle
              checked={form.hoursEnabled}
              onChange={(value) => set("hoursEnabled", value)}
              label="Limit to business hours"
              description={
                form.hoursEnabled
                  ? "Outside these hours customers see the after-hours message."
                  : "Customers can start a conversation at any time."
              }
            />
            {form.hoursEnabled ? (
              <>
                <BusinessHoursEditor value={form.businessHours} onChange={(value) => set("businessHours", value)} />
                <Field label="After-hours message" error={shown("afterHoursMessage")}>
                  {(c) => (
                    <textarea
                      id={c.id}
                      className="input textarea"
                      rows={2}
                      value={form.afterHoursMessage}
                      aria-describedby={c.describedBy}
                      onChange={(e) => set("afterHoursMessage", e.target.value)}
                      maxLength={1000}
                    />
                  )}
                </Field>
              </>
            ) : null}
          </Section>

          <Section
            title="Allowed websites"
            description="Pages on these origins may embed the widget; the browser's Origin header is checked."
          >
            <ListEditor
              label="Allowed origins"
              values={form.allowedOrigins}
              onChange={(values) => set("allowedOrigins", values)}
              placeholder="https://www.example.com"
              hint="scheme://host[:port], or * for any site."
              emptyText="No site may embed it yet."
              normalize={(value) => {
                const parsed = parseOrigin(value);
                return "error" in parsed ? { error: parsed.error } : { value: parsed.origin };
              }}
            />
          </Section>

          {saveError ? <ErrorNotice error={saveError} /> : null}
          <div className="form-footer">
            {justSaved ? (
              <span className="saved" role="status">
                <CheckIcon size={16} /> Saved
              </span>
            ) : dirty ? (
              <span className="muted">Unsaved changes</span>
            ) : null}
            <button type="submit" className="btn btn-primary" disabled={saving || (entryPoint !== undefined && !dirty)}>
              {saving ? "Saving…" : entryPoint ? "Save changes" : "Create entry point"}
            </button>
          </div>
        </form>

        {entryPoint ? (
          <aside className="stack aside-split">
            <div className="aside-top">
              <Section
                title="Embed code"
                description="Paste this tag into every page where the chat should appear, before </body>."
              >
                <CodeBlock code={entryPoint.embedCode} label="HTML" />
              </Section>
            </div>
            <Section title="Details">
              <dl className="details">
                <dt>ID</dt>
                <dd>
                  <code>{entryPoint.id}</code>
                </dd>
                <dt>Channel</dt>
                <dd>Web chat</dd>
                <dt>Created</dt>
                <dd>{formatDateTime(entryPoint.createdAt)}</dd>
                <dt>Updated</dt>
                <dd>{formatDateTime(entryPoint.updatedAt)}</dd>
              </dl>
              <div className="danger-zone">
                <ConfirmButton label="Delete entry point" confirmLabel="Delete for good" onConfirm={remove} disabled={saving} />
              </div>
            </Section>
          </aside>
        ) : null}
      </div>
    </div>
  );
}
