import type { AgentOrganization, Distribution, Queue } from "@switchboard/protocol";
import { useCallback } from "react";
import { Link } from "wouter";
import { useResource } from "../../shell/data/use-resource.js";
import { useClient } from "../../shell/session/session-context.js";
import { DialogForm, saveEdits, useEditorForm } from "../../shell/ui/dialog-form.js";
import { AddButton, EditDialog, useEditDialog } from "../../shell/ui/edit-dialog.js";
import { Badge, EmptyState, ErrorNotice, SkeletonRows } from "../../shell/ui/feedback.js";
import { ChoiceList, SelectField, TextField } from "../../shell/ui/fields.js";
import { ListEditor } from "../../shell/ui/form.js";
import { QueueIcon } from "../../shell/ui/icons.js";
import { PageHeader } from "../../shell/ui/page.js";
import { RowActions, RowActionsHeader } from "../../shell/ui/row-actions.js";
import { emptyDirectory, type TargetDirectory } from "../auto-attendants/call-targets.js";
import { asProblems, problemsOf } from "../auto-attendants/field-problems.js";
import { loadTargetDirectory } from "../auto-attendants/target-directory.js";
import { organizationName } from "../organizations/organizations.js";
import { CallSettingsFields, ExceptionsFields } from "./queue-call-fields.js";
import {
  DISTRIBUTIONS,
  distributionLabel,
  exceptionDetails,
  exceptionSummary,
  formFromQueue,
  normalizeWrapUpCode,
  queueInput,
  queuePatch,
  validateQueue,
} from "./queue-form.js";

const FIELDS = [
  "name",
  "distribution",
  "alertSeconds",
  "wrapUpSeconds",
  "serviceLevelSeconds",
  "wrapUpCodes",
  "organizationIds",
  // Shown in full by the call settings and the exceptions, each problem at its control.
  "call",
  "overflow",
  "timeout",
  "noAgents",
] as const;

/** The tenant's queues: how each hands out work, and which agent organizations work it besides the in-house agents. */
export function QueuesPage() {
  const client = useClient();
  const load = useCallback(
    async (signal: AbortSignal) => {
      const [queues, organizations, directory] = await Promise.all([
        client.queues.list({ signal }),
        client.organizations.list({ signal }),
        loadTargetDirectory(client, signal, { workers: true }),
      ]);
      return { queues, organizations, directory };
    },
    [client],
  );
  const { data, error, reload, update } = useResource(load);
  const dialog = useEditDialog<Queue>((change) => update((d) => ({ ...d, queues: change(d.queues) })));

  const addButton = <AddButton state={dialog} label="Add queue" />;
  const queues = [...(data?.queues ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  // The queues as this page has them (a queue added here is a target at once).
  const directory: TargetDirectory = {
    ...(data?.directory ?? emptyDirectory()),
    queues: queues.map((q) => ({ id: q.id, name: q.name })),
  };
  return (
    <div className="page">
      <PageHeader
        title="Queues"
        description="Where work waits for an agent. Entry points and the bot's intents hand off to a queue by its name."
        actions={data && queues.length > 0 ? addButton : undefined}
      />
      {error ? <ErrorNotice error={error} onRetry={reload} /> : null}
      {!data && !error ? <SkeletonRows rows={3} /> : null}
      {data && queues.length === 0 ? (
        <EmptyState icon={<QueueIcon size={28} />} title="No queues yet" action={addButton}>
          Add a queue, or hand a conversation off to one by name: it is created with the defaults.
        </EmptyState>
      ) : null}
      {data && queues.length > 0 ? (
        <div className="table-wrap card">
          <table className="table" aria-label="Queues">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col" className="col-optional">
                  Distribution
                </th>
                <th scope="col">Worked by</th>
                <th scope="col" className="col-optional">
                  Exceptions
                </th>
                <RowActionsHeader optional />
              </tr>
            </thead>
            <tbody>
              {queues.map((queue) => {
                const exceptions = exceptionDetails(queue, directory);
                return (
                  <tr key={queue.id}>
                    <td className="cell-strong">
                      <button type="button" className="link-button" onClick={() => dialog.openEdit(queue)}>
                        {queue.name}
                      </button>
                    </td>
                    <td className="col-optional">{distributionLabel(queue.distribution)}</td>
                    <td>
                      <span className="chips">
                        <span className="muted">In-house</span>
                        {queue.organizationIds.map((id) => (
                          <Badge key={id} tone="accent">
                            {organizationName(id, data.organizations)}
                          </Badge>
                        ))}
                      </span>
                    </td>
                    <td className="col-optional">
                      {exceptions.length > 0 ? (
                        exceptions.map((e) => <div key={e}>{e}</div>)
                      ) : (
                        <span className="muted">None</span>
                      )}
                    </td>
                    <RowActions edit={{ name: queue.name, open: () => dialog.openEdit(queue) }} optional />
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      <EditDialog state={dialog} title={(queue) => (queue ? `Edit queue ${queue.name}` : "Add a queue")} wide>
        {(queue, handlers) =>
          data ? <QueueEditor queue={queue} organizations={data.organizations} directory={directory} {...handlers} /> : null
        }
      </EditDialog>
    </div>
  );
}

function QueueEditor({
  queue,
  organizations,
  directory,
  onCancel,
  onSaved,
  onDeleted,
}: {
  queue: Queue | undefined;
  organizations: readonly AgentOrganization[];
  directory: TargetDirectory;
  onCancel: () => void;
  onSaved: (queue: Queue) => void;
  onDeleted: (id: string) => void;
}) {
  const client = useClient();
  const editor = useEditorForm(() => formFromQueue(queue, directory), validateQueue);
  const { form, set, error: shownError } = editor;
  // The call settings' and exceptions' controls take the problems by path, the form's own first.
  const problems = [...asProblems(editor.shown), ...problemsOf(editor.submission.error)];

  const save = () =>
    editor.save(async () =>
      onSaved(await saveEdits(client.queues, queue, { input: () => queueInput(form), patch: (q) => queuePatch(q, form) })),
    );
  const remove = queue && {
    confirmLabel: "Delete queue",
    action: async () => {
      await client.queues.delete(queue.id);
      onDeleted(queue.id);
    },
  };
  // An organization the list no longer has stays visible while the queue names it.
  const choices = [
    ...organizations.map((o) => ({ value: o.id, label: o.name })),
    ...form.organizationIds
      .filter((id) => !organizations.some((o) => o.id === id))
      .map((id) => ({ value: id, label: organizationName(id, organizations) })),
  ];
  const exceptions = queue ? exceptionSummary(queue) : [];

  return (
    <DialogForm
      onSubmit={save}
      onCancel={onCancel}
      submitLabel={queue ? "Save" : "Add queue"}
      submission={editor.submission}
      fields={FIELDS}
      remove={remove}
    >
      <TextField
        label="Name"
        hint="Entry points and the bot's intents hand off to the queue by this name."
        error={shownError("name")}
        value={form.name}
        onChange={(name) => set({ name })}
        maxLength={100}
        autoComplete="off"
      />
      <SelectField<Distribution>
        label="Distribution"
        hint={DISTRIBUTIONS.find((d) => d.value === form.distribution)?.description}
        error={shownError("distribution")}
        value={form.distribution}
        onChange={(distribution) => set({ distribution })}
        choices={DISTRIBUTIONS}
      />
      <div className="grid-3">
        <TextField
          label="Ring for (s)"
          hint="15 to 180: then the next agent."
          error={shownError("alertSeconds")}
          value={form.alertSeconds}
          onChange={(alertSeconds) => set({ alertSeconds })}
          inputMode="numeric"
        />
        <TextField
          label="Wrap-up (s)"
          hint="After each conversation."
          error={shownError("wrapUpSeconds")}
          value={form.wrapUpSeconds}
          onChange={(wrapUpSeconds) => set({ wrapUpSeconds })}
          inputMode="numeric"
        />
        <TextField
          label="Answer within (s)"
          hint="Counts toward the service level."
          error={shownError("serviceLevelSeconds")}
          value={form.serviceLevelSeconds}
          onChange={(serviceLevelSeconds) => set({ serviceLevelSeconds })}
          inputMode="numeric"
        />
      </div>
      <ChoiceList
        label="Organizations"
        hint="In-house agents work every queue. Tick the outsourced teams that work this one too: their users see it and may be its members."
        error={shownError("organizationIds")}
        values={form.organizationIds}
        onChange={(organizationIds) => set({ organizationIds })}
        choices={choices}
        emptyText={
          <>
            No organizations yet: <Link href="/organizations">add one</Link> for an outsourced team.
          </>
        }
      />
      <ListEditor
        label="Wrap-up codes"
        values={form.wrapUpCodes}
        onChange={(wrapUpCodes) => set({ wrapUpCodes })}
        normalize={normalizeWrapUpCode}
        placeholder="e.g. refund_issued"
        hint="An agent picks one when resolving a conversation of this queue."
        emptyText="None: agents resolve without a code."
      />
      {shownError("wrapUpCodes") ? <p className="field-error">{shownError("wrapUpCodes")}</p> : null}
      <ExceptionsFields
        value={form}
        onChange={(exceptions) =>
          set({ overflow: exceptions.overflow, timeout: exceptions.timeout, noAgents: exceptions.noAgents })
        }
        problems={problems}
        directory={directory}
        queueId={queue?.id}
        saved={exceptions}
      />
      <CallSettingsFields call={form.call} onChange={(call) => set({ call })} problems={problems} />
    </DialogForm>
  );
}
