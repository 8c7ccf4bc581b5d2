import type { VoicemailMessage } from "@switchboard/protocol";
import { useCallback, useState } from "react";
import { useLocation } from "wouter";
import { useResource } from "../../shell/data/use-resource.js";
import { formatDateTime } from "../../shell/format/time.js";
import { useClient } from "../../shell/session/session-context.js";
import { type AudioRowPlay, AudioTable, PlayButton } from "../../shell/ui/audio-table.js";
import { BlobAudio } from "../../shell/ui/blob-audio.js";
import { Dialog } from "../../shell/ui/dialog.js";
import { useSubmission } from "../../shell/ui/dialog-form.js";
import { Badge, EmptyState, ErrorNotice, Loading } from "../../shell/ui/feedback.js";
import { VoicemailIcon } from "../../shell/ui/flow-icons.js";
import { PageHeader, Section } from "../../shell/ui/page.js";
import { RowActions } from "../../shell/ui/row-actions.js";
import { partyLabel } from "../calls/call-labels.js";
import { MailboxEditor } from "./mailbox-editor.js";
import { formatMessageDuration, messageCount, newestFirst, ownerLabel } from "./mailbox-form.js";

/** One mailbox: its messages (play, mark heard or new, delete) and its settings. */
export function MailboxPage({ id }: { id: string }) {
  const client = useClient();
  const [, navigate] = useLocation();
  const load = useCallback(
    async (signal: AbortSignal) => {
      const [mailbox, messages, users, mailboxes] = await Promise.all([
        client.mailboxes.get(id, { signal }),
        client.mailboxes.messages(id, { signal }),
        client.users.list({ signal }),
        client.mailboxes.list({ signal }),
      ]);
      return { mailbox, messages, users, mailboxes };
    },
    [client, id],
  );
  const { data, error, reload, update } = useResource(load);
  const [editing, setEditing] = useState(false);
  const back = { href: "/mailboxes", label: "Mailboxes" };

  if (!data) {
    return (
      <div className="page">
        <PageHeader back={back} title="Mailbox" />
        {error ? <ErrorNotice error={error} onRetry={reload} /> : <Loading />}
      </div>
    );
  }
  const { mailbox, messages } = data;
  const setMessage = (message: VoicemailMessage) =>
    update((d) => ({ ...d, messages: d.messages.map((m) => (m.id === message.id ? message : m)) }));
  const dropMessage = (messageId: string) => update((d) => ({ ...d, messages: d.messages.filter((m) => m.id !== messageId) }));

  return (
    <div className="page">
      <PageHeader
        back={back}
        title={mailbox.name}
        description={
          mailbox.ownerUserId === null
            ? "A shared mailbox: auto attendants and queues send callers here."
            : `${ownerLabel(mailbox, data.users)}'s personal mailbox: calls to their extension nobody answers.`
        }
        actions={
          <>
            {mailbox.hasPin ? <Badge tone="success">Has PIN</Badge> : <Badge>No PIN</Badge>}
            <button type="button" className="btn" onClick={() => setEditing(true)}>
              Edit settings
            </button>
          </>
        }
      />
      <Section title="Messages" description={messageCount(messages)} actions={<RefreshButton onClick={reload} />}>
        {messages.length === 0 ? (
          <EmptyState icon={<VoicemailIcon size={28} />} title="No messages">
            Messages callers leave show here, newest first.
          </EmptyState>
        ) : (
          <MessageTable messages={newestFirst(messages)} onChanged={setMessage} onDeleted={dropMessage} />
        )}
      </Section>
      <Dialog open={editing} onClose={() => setEditing(false)} title={`Edit mailbox ${mailbox.name}`}>
        {editing ? (
          <MailboxEditor
            mailbox={mailbox}
            users={data.users}
            mailboxes={data.mailboxes}
            onCancel={() => setEditing(false)}
            onSaved={(saved) => {
              update((d) => ({ ...d, mailbox: saved }));
              setEditing(false);
            }}
            onDeleted={() => navigate("/mailboxes")}
          />
        ) : null}
      </Dialog>
    </div>
  );
}

function RefreshButton({ onClick }: { onClick: () => void }) {
  return (
    <button type="button" className="btn btn-sm" onClick={onClick}>
      Refresh
    </button>
  );
}

function MessageTable({
  messages,
  onChanged,
  onDeleted,
}: {
  messages: readonly VoicemailMessage[];
  onChanged: (message: VoicemailMessage) => void;
  onDeleted: (id: string) => void;
}) {
  return (
    <AudioTable
      label="Messages"
      columns={["Caller", "Received", "Length"]}
      items={messages}
      row={(message, play) => <MessageRow message={message} play={play} onChanged={onChanged} onDeleted={onDeleted} />}
      player={(message) => <MessagePlayer message={message} />}
    />
  );
}

function MessageRow({
  message,
  play,
  onChanged,
  onDeleted,
}: {
  message: VoicemailMessage;
  play: AudioRowPlay;
  onChanged: (message: VoicemailMessage) => void;
  onDeleted: (id: string) => void;
}) {
  const client = useClient();
  const action = useSubmission();
  const caller = partyLabel(message.caller);
  return (
    <tr>
      <td className="cell-strong">
        <span className="cell-inline">
          <span className="cell-mono">{caller}</span>
          {message.heard ? null : <Badge tone="accent">New</Badge>}
        </span>
        {message.transcript ? <div className="muted">“{message.transcript}”</div> : null}
        {action.error ? <ErrorNotice error={action.error} /> : null}
      </td>
      <td className="cell-time">{formatDateTime(message.createdAt)}</td>
      <td className="cell-num">{formatMessageDuration(message.durationMs)}</td>
      <RowActions
        remove={{
          confirmLabel: "Delete message",
          onConfirm: () =>
            void action.run(async () => {
              await client.mailboxes.deleteMessage(message.id);
              onDeleted(message.id);
            }),
        }}
        disabled={action.busy}
      >
        <PlayButton play={play} name={`the message from ${caller}`} />
        <button
          type="button"
          className="btn btn-sm btn-ghost"
          disabled={action.busy}
          onClick={() => void action.run(async () => onChanged(await client.mailboxes.markMessage(message.id, !message.heard)))}
        >
          {message.heard ? "Mark new" : "Mark heard"}
        </button>
      </RowActions>
    </tr>
  );
}

function MessagePlayer({ message }: { message: VoicemailMessage }) {
  const client = useClient();
  const load = useCallback((signal: AbortSignal) => client.mailboxes.messageAudio(message.id, { signal }), [client, message.id]);
  return (
    <BlobAudio
      load={load}
      label={`Message from ${partyLabel(message.caller)}, ${formatDateTime(message.createdAt)}`}
      fileName={`voicemail-${message.id}.wav`}
    />
  );
}
