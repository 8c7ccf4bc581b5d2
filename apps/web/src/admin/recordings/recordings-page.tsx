import type { RecordingInfo } from "@switchboard/protocol";
import { useCallback } from "react";
import { Link } from "wouter";
import { usePages } from "../../shell/data/use-pages.js";
import { useUrlFilters } from "../../shell/data/use-url-filters.js";
import { formatDateTime } from "../../shell/format/time.js";
import { useClient } from "../../shell/session/session-context.js";
import { type AudioRowPlay, AudioTable, PlayButton } from "../../shell/ui/audio-table.js";
import { BlobAudio } from "../../shell/ui/blob-audio.js";
import { useSubmission } from "../../shell/ui/dialog-form.js";
import { EmptyState, ErrorNotice, SkeletonRows } from "../../shell/ui/feedback.js";
import { MicIcon } from "../../shell/ui/icons.js";
import { FilterSelect, ListToolbar } from "../../shell/ui/list-toolbar.js";
import { LoadMore } from "../../shell/ui/load-more.js";
import { PageHeader } from "../../shell/ui/page.js";
import { RowActions } from "../../shell/ui/row-actions.js";
import { formatCallDuration } from "../calls/call-labels.js";
import { isRecordingKind, RECORDING_KINDS, recordingKindLabel, recordingName } from "./recording-labels.js";
import { RetentionSection } from "./retention-section.js";

const PAGE_SIZE = 50;

/** The tenant's recordings, newest first: recorded calls, callers' messages, uploaded audio; and how long calls are kept. */
export function RecordingsPage() {
  const client = useClient();
  const { params, setFilter, clear } = useUrlFilters();
  const kindParam = params.get("kind");
  const kind = isRecordingKind(kindParam) ? kindParam : undefined;
  const load = useCallback(
    (after: string | undefined, signal: AbortSignal) =>
      client.recordings.list({ limit: PAGE_SIZE, ...(after ? { after } : {}), ...(kind ? { kind } : {}) }, { signal }),
    [client, kind],
  );
  const pages = usePages<RecordingInfo>(load);
  const { data, error, loading, reload, update } = pages;
  const drop = (id: string) => update((d) => ({ ...d, items: d.items.filter((r) => r.id !== id) }));

  const count = data?.items.length ?? 0;
  return (
    <div className="page">
      <PageHeader
        title="Recordings"
        description="Recorded calls, the messages callers left and the audio you uploaded, newest first."
      />
      <div className="stack">
        <RetentionSection />
        <div>
          <ListToolbar
            filtered={kind !== undefined}
            onClear={clear}
            clearLabel="Clear filter"
            reloading={loading && data !== undefined}
            onRefresh={reload}
          >
            <FilterSelect
              label="Kind"
              anyLabel="Every kind"
              value={kind}
              choices={RECORDING_KINDS}
              onChange={(value) => setFilter("kind", value)}
            />
          </ListToolbar>
          {error ? <ErrorNotice error={error} onRetry={reload} /> : null}
          {!data && !error ? <SkeletonRows rows={4} /> : null}
          {data && count === 0 ? (
            kind ? (
              <EmptyState title="No recording of this kind" />
            ) : (
              <EmptyState icon={<MicIcon size={28} />} title="No recordings yet">
                Calls a queue records, messages callers leave and audio uploaded for greetings show here.
              </EmptyState>
            )
          ) : null}
          {data && count > 0 ? (
            <AudioTable
              card
              label="Recordings"
              columns={["Recording", { label: "Call", optional: true }, { label: "Length", optional: true }]}
              items={data.items}
              row={(recording, play) => <RecordingRow recording={recording} play={play} onDeleted={drop} />}
              player={(recording) => <RecordingPlayer recording={recording} />}
            />
          ) : null}
          <LoadMore pages={pages} />
        </div>
      </div>
    </div>
  );
}

function RecordingRow({
  recording,
  play,
  onDeleted,
}: {
  recording: RecordingInfo;
  play: AudioRowPlay;
  onDeleted: (id: string) => void;
}) {
  const client = useClient();
  const action = useSubmission();
  const made = formatDateTime(recording.createdAt);
  const name = recordingName(recording, made);
  const length = formatCallDuration(recording.durationMs);
  const call = recording.callId ? (
    <Link href={`/calls/${encodeURIComponent(recording.callId)}`} aria-label={`View the call of the ${name}`}>
      View call
    </Link>
  ) : undefined;
  return (
    <tr>
      <td className="cell-strong">
        {recordingKindLabel(recording.kind)}
        <div className="cell-time recording-meta">
          <time dateTime={recording.createdAt}>{made}</time>
        </div>
        <div className="narrow-only recording-meta">
          {length}
          {call ? <> · {call}</> : null}
        </div>
        {action.error ? <ErrorNotice error={action.error} /> : null}
      </td>
      <td className="col-optional">{call ?? <span className="muted">—</span>}</td>
      <td className="cell-num col-optional">{length}</td>
      <RowActions
        remove={{
          confirmLabel: "Delete recording",
          onConfirm: () =>
            void action.run(async () => {
              await client.recordings.delete(recording.id);
              onDeleted(recording.id);
            }),
        }}
        disabled={action.busy}
      >
        <PlayButton play={play} name={`the ${name}`} />
      </RowActions>
    </tr>
  );
}

function RecordingPlayer({ recording }: { recording: RecordingInfo }) {
  const client = useClient();
  const load = useCallback((signal: AbortSignal) => client.recordings.audio(recording.id, { signal }), [client, recording.id]);
  return (
    <BlobAudio
      load={load}
      label={`${recordingKindLabel(recording.kind)}, ${formatDateTime(recording.createdAt)}`}
      fileName={`recording-${recording.id}.wav`}
      autoPlay
    />
  );
}
