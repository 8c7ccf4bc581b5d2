import type { Mailbox, User } from "@switchboard/protocol";
import { useClient } from "../../shell/session/session-context.js";
import { DialogForm, saveEdits, useEditorForm } from "../../shell/ui/dialog-form.js";
import { Badge } from "../../shell/ui/feedback.js";
import { SelectField, TextField } from "../../shell/ui/fields.js";
import { ListEditor, Toggle } from "../../shell/ui/form.js";
import { AnnouncementField } from "../auto-attendants/announcement-field.js";
import { problemsOf } from "../auto-attendants/field-problems.js";
import {
  formFromMailbox,
  MESSAGE_SECONDS,
  mailboxInput,
  mailboxPatch,
  normalizeEmail,
  ownerChoices,
  validateMailbox,
} from "./mailbox-form.js";

const FIELDS = ["name", "ownerUserId", "greeting", "maxMessageSeconds", "pin", "notifyEmails"] as const;

/** Adds a mailbox, or edits one: its owner (or shared), greeting, longest message, PIN and who is told of messages. */
export function MailboxEditor({
  mailbox,
  users,
  mailboxes,
  onCancel,
  onSaved,
  onDeleted,
}: {
  mailbox: Mailbox | undefined;
  users: readonly User[];
  mailboxes: readonly Mailbox[];
  onCancel: () => void;
  onSaved: (mailbox: Mailbox) => void;
  onDeleted?: (id: string) => void;
}) {
  const client = useClient();
  const editor = useEditorForm(() => formFromMailbox(mailbox), validateMailbox);
  const { form, set, error: shownError } = editor;

  const save = () =>
    editor.save(async () =>
      onSaved(
        await saveEdits(client.mailboxes, mailbox, { input: () => mailboxInput(form), patch: (m) => mailboxPatch(m, form) }),
      ),
    );
  const remove =
    mailbox && onDeleted
      ? {
          confirmLabel: "Delete mailbox and messages",
          action: async () => {
            await client.mailboxes.delete(mailbox.id);
            onDeleted(mailbox.id);
          },
        }
      : undefined;

  return (
    <DialogForm
      onSubmit={save}
      onCancel={onCancel}
      submitLabel={mailbox ? "Save" : "Add mailbox"}
      submission={editor.submission}
      fields={FIELDS}
      remove={remove}
    >
      <TextField
        label="Name"
        hint="Unique; the standard greeting says it."
        error={shownError("name")}
        value={form.name}
        onChange={(name) => set({ name })}
        maxLength={100}
        autoComplete="off"
      />
      <SelectField
        label="Owner"
        hint="A user's personal mailbox takes the calls to their extension nobody answers; a shared one is a redirect target."
        error={shownError("ownerUserId")}
        value={form.ownerUserId}
        onChange={(ownerUserId) => set({ ownerUserId })}
        choices={ownerChoices(users, mailboxes, mailbox)}
      />
      <AnnouncementField
        label="Greeting"
        value={form.greeting}
        onChange={(greeting) => set({ greeting })}
        path="greeting"
        problems={problemsOf(editor.submission.error)}
        hint="Said before the beep. Empty: “Please leave a message after the tone” with the mailbox's name."
        placeholder="You have reached Northwind support. Please leave your name and number after the tone."
      />
      <div className="grid-2">
        <TextField
          label="Longest message (s)"
          hint={`${MESSAGE_SECONDS.min} to ${MESSAGE_SECONDS.max}.`}
          error={shownError("maxMessageSeconds")}
          value={form.maxMessageSeconds}
          onChange={(maxMessageSeconds) => set({ maxMessageSeconds })}
          inputMode="numeric"
          maxLength={3}
        />
        <TextField
          label={mailbox?.hasPin ? "New PIN" : "PIN"}
          hint={
            mailbox?.hasPin ? (
              <>
                <Badge tone="success">Has PIN</Badge> Leave empty to keep it.
              </>
            ) : (
              "4 to 12 digits, to listen by phone. Never shown again."
            )
          }
          error={shownError("pin")}
          value={form.pin}
          onChange={(pin) => set({ pin: pin.trim() })}
          type="password"
          inputMode="numeric"
          autoComplete="new-password"
          maxLength={12}
          disabled={form.removePin}
        />
      </div>
      {mailbox?.hasPin ? (
        <Toggle
          checked={form.removePin}
          onChange={(removePin) => set({ removePin })}
          label="Remove the PIN"
          description="The mailbox can then no longer be listened to by phone."
        />
      ) : null}
      <ListEditor
        label="Notify by email"
        values={form.notifyEmails}
        onChange={(notifyEmails) => set({ notifyEmails })}
        normalize={normalizeEmail}
        placeholder="team@example.com"
        hint="Told of each new message, when email is set up."
        emptyText="Nobody is told by email."
      />
      {shownError("notifyEmails") ? <p className="field-error">{shownError("notifyEmails")}</p> : null}
    </DialogForm>
  );
}
