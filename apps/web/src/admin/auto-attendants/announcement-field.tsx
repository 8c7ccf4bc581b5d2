import { type ReactNode, useState } from "react";
import { describeError } from "../../shell/errors/describe-error.js";
import { useClient } from "../../shell/session/session-context.js";
import { Field } from "../../shell/ui/form.js";
import type { AnnouncementForm } from "./announcement.js";
import { type FieldProblem, messageAt } from "./field-problems.js";

const SOURCES = [
  { value: "speech", label: "Text to speech" },
  { value: "recording", label: "Recording" },
] as const;

/**
 * What a flow says: text spoken by text-to-speech, or a recording by its id; where the server has a
 * default (the standard greeting, the default music), `noneLabel` offers it too. Problems under `path`
 * show here.
 */
export function AnnouncementField({
  label,
  value,
  onChange,
  path,
  problems,
  hint,
  placeholder,
  noneLabel,
  sources = ["speech", "recording"],
  rows = 2,
}: {
  label: string;
  value: AnnouncementForm;
  onChange: (value: AnnouncementForm) => void;
  path: string;
  problems: readonly FieldProblem[];
  hint?: ReactNode;
  placeholder?: string;
  /** Offers "nothing" (or the server's default) under this name. */
  noneLabel?: string;
  sources?: readonly ("speech" | "recording")[];
  rows?: number;
}) {
  const choices = [
    ...(noneLabel ? [{ value: "none" as const, label: noneLabel }] : []),
    ...SOURCES.filter((s) => sources.includes(s.value)),
  ];
  const kindSelect = (id?: string, describedBy?: string) =>
    choices.length > 1 ? (
      <select
        id={id}
        className="input select announcement-kind"
        aria-label={id ? undefined : `${label}: source`}
        aria-describedby={describedBy}
        value={value.kind}
        onChange={(e) => onChange({ ...value, kind: e.target.value as AnnouncementForm["kind"] })}
      >
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    ) : null;
  return (
    <Field label={label} error={messageAt(problems, path)} hint={hint}>
      {(c) => (
        <div className="announcement-control">
          {value.kind === "none" ? kindSelect(c.id, c.describedBy) : kindSelect()}
          {value.kind === "speech" ? (
            <textarea
              id={c.id}
              className="input textarea"
              rows={rows}
              value={value.text}
              aria-describedby={c.describedBy}
              aria-invalid={c.invalid}
              onChange={(e) => onChange({ ...value, text: e.target.value })}
              placeholder={placeholder}
              maxLength={2000}
            />
          ) : value.kind === "recording" ? (
            <>
              <input
                id={c.id}
                className="input input-mono"
                value={value.recordingId}
                aria-describedby={c.describedBy}
                aria-invalid={c.invalid}
                onChange={(e) => onChange({ ...value, recordingId: e.target.value.trim() })}
                placeholder="Recording id"
                maxLength={64}
                autoComplete="off"
              />
              <RecordingUpload label={label} onUploaded={(recordingId) => onChange({ ...value, recordingId })} />
            </>
          ) : null}
        </div>
      )}
    </Field>
  );
}

/** Uploads a WAV file (any rate, mono or stereo) and hands back the recording's id; says how long it lasts, or why not. */
function RecordingUpload({ label, onUploaded }: { label: string; onUploaded: (recordingId: string) => void }) {
  const client = useClient();
  const [status, setStatus] = useState<{ kind: "idle" | "busy" | "done" | "failed"; text: string }>({ kind: "idle", text: "" });
  const upload = async (file: File | undefined) => {
    if (!file) return;
    setStatus({ kind: "busy", text: `Uploading ${file.name}…` });
    try {
      const recording = await client.recordings.upload(file);
      onUploaded(recording.id);
      setStatus({ kind: "done", text: `Uploaded ${file.name} (${Math.round(recording.durationMs / 1000)} s).` });
    } catch (error) {
      const problem = describeError(error);
      setStatus({ kind: "failed", text: problem.detail ?? problem.title });
    }
  };
  return (
    <div className="announcement-upload">
      <label className="btn btn-sm">
        Upload a WAV file
        <input
          type="file"
          accept="audio/wav,audio/x-wav,.wav"
          className="visually-hidden"
          aria-label={`${label}: upload a WAV file`}
          disabled={status.kind === "busy"}
          onChange={(e) => void upload(e.target.files?.[0])}
        />
      </label>
      {status.text ? (
        <span role="status" className={status.kind === "failed" ? "field-error" : "muted"}>
          {status.text}
        </span>
      ) : null}
    </div>
  );
}
