import type { NumberEntry, PhoneNumber, Trunk } from "@switchboard/protocol";
import { useCallback } from "react";
import { Link } from "wouter";
import { useResource } from "../../shell/data/use-resource.js";
import { useClient } from "../../shell/session/session-context.js";
import { DialogForm, saveEdits, useEditorForm } from "../../shell/ui/dialog-form.js";
import { AddButton, EditDialog, useEditDialog } from "../../shell/ui/edit-dialog.js";
import { Badge, EmptyState, ErrorNotice, SkeletonRows } from "../../shell/ui/feedback.js";
import { SelectField, TextField } from "../../shell/ui/fields.js";
import { HashIcon } from "../../shell/ui/icons.js";
import { PageHeader } from "../../shell/ui/page.js";
import { RowActions, RowActionsHeader } from "../../shell/ui/row-actions.js";
import { CallTargetPicker } from "../auto-attendants/call-target-picker.js";
import { describeTarget, ENTRY_KINDS, type TargetDirectory } from "../auto-attendants/call-targets.js";
import { asProblems, problemsOf } from "../auto-attendants/field-problems.js";
import { loadTargetDirectory } from "../auto-attendants/target-directory.js";
import { formFromNumber, newNumberForm, numberInput, numberPatch, validateNumber } from "./phone-number-form.js";

/** The tenant's phone numbers: what answers each, and the trunk it arrives on. */
export function PhoneNumbersPage() {
  const client = useClient();
  const load = useCallback(
    async (signal: AbortSignal) => {
      const [numbers, trunks, directory] = await Promise.all([
        client.telephony.phoneNumbers.list({ signal }),
        client.telephony.trunks.list({ signal }),
        loadTargetDirectory(client, signal),
      ]);
      return { numbers, trunks, directory };
    },
    [client],
  );
  const { data, error, reload, update } = useResource(load);
  const dialog = useEditDialog<PhoneNumber>((change) => update((d) => ({ ...d, numbers: change(d.numbers) })));

  const addButton = <AddButton state={dialog} label="Add number" />;
  return (
    <div className="page">
      <PageHeader
        title="Phone numbers"
        description="The numbers callers dial, each answered by an auto attendant, a queue, a person, a mailbox or a built-in flow. Calls arrive from the platform's carrier, or from your own trunk."
        actions={data && data.numbers.length > 0 ? addButton : undefined}
      />
      {error ? <ErrorNotice error={error} onRetry={reload} /> : null}
      {!data && !error ? <SkeletonRows rows={3} /> : null}
      {data && data.numbers.length === 0 ? (
        <EmptyState icon={<HashIcon size={28} />} title="No phone numbers yet" action={addButton}>
          Add a number your carrier routes to Switchboard, and choose what answers it.
        </EmptyState>
      ) : null}
      {data && data.numbers.length > 0 ? (
        <div className="table-wrap card">
          <table className="table" aria-label="Phone numbers">
            <thead>
              <tr>
                <th scope="col">Number</th>
                <th scope="col">Label</th>
                <th scope="col">Answered by</th>
                <th scope="col" className="col-optional">
                  Trunk
                </th>
                <RowActionsHeader optional />
              </tr>
            </thead>
            <tbody>
              {[...data.numbers]
                .sort((a, b) => a.e164.localeCompare(b.e164))
                .map((number) => (
                  <tr key={number.id}>
                    <td className="cell-strong cell-mono">
                      {/* On a phone the actions column is hidden: the number opens the editor. */}
                      <button type="button" className="link-button" onClick={() => dialog.openEdit(number)}>
                        {number.e164}
                      </button>
                    </td>
                    <td>{number.label || <span className="muted">—</span>}</td>
                    <td>
                      <EntryName entry={number.entry} directory={data.directory} />
                    </td>
                    <td className="col-optional">
                      <TrunkName trunkId={number.trunkId} trunks={data.trunks} />
                    </td>
                    <RowActions edit={{ name: number.e164, open: () => dialog.openEdit(number) }} optional />
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <EditDialog state={dialog} title={(number) => (number ? `Edit ${number.e164}` : "Add a phone number")}>
        {(number, handlers) =>
          data ? <NumberEditor number={number} trunks={data.trunks} directory={data.directory} {...handlers} /> : null
        }
      </EditDialog>
    </div>
  );
}

function TrunkName({ trunkId, trunks }: { trunkId: string | null; trunks: readonly Trunk[] }) {
  if (trunkId === null) return <span className="muted">Platform carrier</span>;
  const trunk = trunks.find((t) => t.id === trunkId);
  if (!trunk) return <code>{trunkId}</code>;
  return (
    <span className="cell-inline">
      <Link href={`/trunks/${encodeURIComponent(trunk.id)}`}>{trunk.name}</Link>
      {trunk.enabled ? null : <Badge>Disabled</Badge>}
    </span>
  );
}

const FIELDS = ["e164", "label", "entry", "trunkId"] as const;

function NumberEditor({
  number,
  trunks,
  directory,
  onCancel,
  onSaved,
  onDeleted,
}: {
  number: PhoneNumber | undefined;
  trunks: readonly Trunk[];
  directory: TargetDirectory;
  onCancel: () => void;
  onSaved: (number: PhoneNumber) => void;
  onDeleted: (id: string) => void;
}) {
  const client = useClient();
  const editor = useEditorForm(
    () => (number ? formFromNumber(number) : newNumberForm()),
    (form) => validateNumber(form, number === undefined),
  );
  const { form, set } = editor;
  const problems = [...asProblems(editor.shown), ...problemsOf(editor.submission.error)];

  const save = () =>
    editor.save(async () =>
      onSaved(
        await saveEdits(client.telephony.phoneNumbers, number, {
          input: () => numberInput(form),
          patch: (n) => numberPatch(n, form),
        }),
      ),
    );
  const remove = number && {
    confirmLabel: "Delete number",
    action: async () => {
      await client.telephony.phoneNumbers.delete(number.id);
      onDeleted(number.id);
    },
  };
  const trunkChoices = [
    { value: "", label: "None: the platform's carrier" },
    ...trunks.map((t) => ({
      value: t.id,
      label: `${t.name}${t.byoc ? " (BYOC)" : ""}${t.enabled ? "" : " (disabled)"}`,
    })),
    ...(form.trunkId !== null && !trunks.some((t) => t.id === form.trunkId)
      ? [{ value: form.trunkId, label: `Unknown trunk (${form.trunkId})` }]
      : []),
  ];

  return (
    <DialogForm
      onSubmit={save}
      onCancel={onCancel}
      submitLabel={number ? "Save" : "Add number"}
      submission={editor.submission}
      fields={FIELDS}
      remove={remove}
    >
      {number ? null : (
        <TextField
          label="Number"
          hint="In E.164: a plus, the country code and the number, without spaces, e.g. +15550123."
          error={editor.error("e164")}
          value={form.e164}
          onChange={(e164) => set({ e164 })}
          placeholder="+15550123"
          inputMode="tel"
          autoComplete="off"
          maxLength={32}
          mono
        />
      )}
      <TextField
        label="Label"
        hint="Only your team sees it, e.g. Main line."
        error={editor.error("label")}
        value={form.label}
        onChange={(label) => set({ label })}
        maxLength={200}
        autoComplete="off"
      />
      <CallTargetPicker<NumberEntry>
        label="Answered by"
        value={form.entry}
        onChange={(entry) => set({ entry })}
        kinds={ENTRY_KINDS}
        directory={directory}
        path="entry"
        problems={problems}
      />
      <SelectField
        label="Trunk"
        hint="Your own carrier's trunk (BYOC): the number is then reached only through it."
        error={editor.error("trunkId")}
        value={form.trunkId ?? ""}
        onChange={(trunkId) => set({ trunkId: trunkId === "" ? null : trunkId })}
        choices={trunkChoices}
      />
    </DialogForm>
  );
}

/** What answers a number, in words, with a link to the attendant, queue or mailbox. */
function EntryName({ entry, directory }: { entry: NumberEntry; directory: TargetDirectory }) {
  const words = describeTarget(entry, directory);
  const href =
    entry.kind === "auto_attendant"
      ? `/auto-attendants/${encodeURIComponent(entry.autoAttendantId)}`
      : entry.kind === "voicemail"
        ? `/mailboxes/${encodeURIComponent(entry.mailboxId)}`
        : entry.kind === "queue"
          ? "/queues"
          : undefined;
  return href ? <Link href={href}>{words}</Link> : words;
}
