import { type FormEvent, useCallback } from "react";
import { useBriefly } from "../../shell/data/use-briefly.js";
import { useResource } from "../../shell/data/use-resource.js";
import { coveredByFields } from "../../shell/errors/describe-error.js";
import { useClient } from "../../shell/session/session-context.js";
import type { Choice } from "../../shell/ui/choice.js";
import { useEditorForm } from "../../shell/ui/dialog-form.js";
import { ErrorNotice, Loading } from "../../shell/ui/feedback.js";
import { SelectField, TextField } from "../../shell/ui/fields.js";
import { CheckIcon } from "../../shell/ui/icons.js";
import { Section } from "../../shell/ui/page.js";
import { formFromRetention, type RetentionForm, retentionFromForm, retentionLabel, validateRetention } from "./retention-form.js";

const KEEP_CHOICES: readonly Choice<RetentionForm["keep"]>[] = [
  { value: "forever", label: "For ever" },
  { value: "days", label: "For a number of days" },
];

/** How long call recordings are kept: for ever, or a number of days (the server says which numbers it takes). */
export function RetentionSection() {
  const client = useClient();
  const load = useCallback((signal: AbortSignal) => client.recordings.retention({ signal }), [client]);
  const { data, error, reload, update } = useResource(load);
  // Kept here: a save starts the form afresh from what the server kept, and "Saved" should outlive that.
  const [justSaved = false, showSaved] = useBriefly<true>();
  return (
    <Section
      title="Keeping call recordings"
      description="Call recordings older than this are deleted (checked every hour). Callers' messages and uploaded audio are kept until they or their mailbox are deleted."
    >
      {error && data === undefined ? (
        <ErrorNotice error={error} onRetry={reload} />
      ) : data === undefined ? (
        <Loading />
      ) : (
        <RetentionEditor
          key={String(data)}
          retentionDays={data}
          justSaved={justSaved}
          onSaved={(kept) => {
            update(() => kept);
            showSaved(true);
          }}
        />
      )}
    </Section>
  );
}

function RetentionEditor({
  retentionDays,
  justSaved,
  onSaved,
}: {
  retentionDays: number | null;
  justSaved: boolean;
  onSaved: (retentionDays: number | null) => void;
}) {
  const client = useClient();
  const { form, set, error, submission, save } = useEditorForm<RetentionForm>(
    () => formFromRetention(retentionDays),
    validateRetention,
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (submission.busy) return;
    save(async () => {
      const value = retentionFromForm(form);
      if ("error" in value) return;
      onSaved(await client.recordings.setRetention(value.retentionDays));
    });
  };
  const changed = JSON.stringify(retentionFromForm(form)) !== JSON.stringify({ retentionDays });
  return (
    <form className="retention-form" onSubmit={submit} noValidate aria-label="Keeping call recordings">
      <div className="retention-fields">
        <SelectField label="Keep call recordings" value={form.keep} choices={KEEP_CHOICES} onChange={(keep) => set({ keep })} />
        {form.keep === "days" ? (
          <TextField
            label="Days"
            type="number"
            inputMode="numeric"
            min={1}
            max={3650}
            value={form.days}
            onChange={(days) => set({ days })}
            error={error("retentionDays")}
          />
        ) : null}
      </div>
      {submission.error && !coveredByFields(submission.error, ["retentionDays"]) ? (
        <ErrorNotice error={submission.error} />
      ) : null}
      <div className="retention-footer">
        <span className="muted">Now: {retentionLabel(retentionDays).toLowerCase()}</span>
        <span className="spacer" />
        {justSaved && !changed ? (
          <span className="saved" role="status">
            <CheckIcon size={16} /> Saved
          </span>
        ) : null}
        <button type="submit" className="btn btn-primary" disabled={submission.busy}>
          {submission.busy ? "Saving…" : "Save"}
        </button>
      </div>
    </form>
  );
}
