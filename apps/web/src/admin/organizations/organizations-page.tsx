import type { AgentOrganization } from "@switchboard/protocol";
import { useCallback, useState } from "react";
import { Link } from "wouter";
import { useResource } from "../../shell/data/use-resource.js";
import { fieldError } from "../../shell/errors/describe-error.js";
import { useClient } from "../../shell/session/session-context.js";
import { Dialog } from "../../shell/ui/dialog.js";
import { DialogForm, useSubmission } from "../../shell/ui/dialog-form.js";
import { EmptyState, ErrorNotice, SkeletonRows } from "../../shell/ui/feedback.js";
import { TextField } from "../../shell/ui/fields.js";
import { BuildingIcon, PlusIcon } from "../../shell/ui/icons.js";
import { PageHeader } from "../../shell/ui/page.js";
import { organizationNameError, organizationRows } from "./organizations.js";

type Editing = { kind: "new" } | { kind: "edit"; organization: AgentOrganization } | undefined;

/**
 * Agent organizations: the teams the business outsources agents to. Their users see only the queues
 * assigned to them (on the Queues page) and only their colleagues.
 */
export function OrganizationsPage() {
  const client = useClient();
  const load = useCallback(
    async (signal: AbortSignal) => {
      const [organizations, queues, users] = await Promise.all([
        client.organizations.list({ signal }),
        client.queues.list({ signal }),
        client.users.list({ signal }),
      ]);
      return { organizations, queues, users };
    },
    [client],
  );
  const { data, error, reload, update } = useResource(load);
  const [editing, setEditing] = useState<Editing>(undefined);
  const close = () => setEditing(undefined);

  const addButton = (
    <button type="button" className="btn btn-primary" onClick={() => setEditing({ kind: "new" })}>
      <PlusIcon size={16} /> Add organization
    </button>
  );
  const rows = data ? organizationRows(data.organizations, data.queues, data.users) : [];
  return (
    <div className="page">
      <PageHeader
        title="Organizations"
        description="Teams you outsource agents to. Their agents and supervisors see only the queues assigned to them, and only each other."
        actions={data && rows.length > 0 ? addButton : undefined}
      />
      {error ? <ErrorNotice error={error} onRetry={reload} /> : null}
      {!data && !error ? <SkeletonRows rows={3} /> : null}
      {data && rows.length === 0 ? (
        <EmptyState icon={<BuildingIcon size={28} />} title="No organizations yet" action={addButton}>
          Everyone works in-house. Add an organization for an outsourced team, then assign it queues and users.
        </EmptyState>
      ) : null}
      {data && rows.length > 0 ? (
        <div className="table-wrap card">
          <table className="table" aria-label="Organizations">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Queues</th>
                <th scope="col" className="cell-num">
                  Users
                </th>
                <th scope="col" className="col-optional">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ organization, queues, users }) => (
                <tr key={organization.id}>
                  <td className="cell-strong">
                    <button type="button" className="link-button" onClick={() => setEditing({ kind: "edit", organization })}>
                      {organization.name}
                    </button>
                  </td>
                  <td>
                    {queues.length === 0 ? (
                      <span className="muted">None yet</span>
                    ) : (
                      <span className="chips">
                        {queues.map((q) => (
                          <span key={q.id} className="chip">
                            {q.name}
                          </span>
                        ))}
                      </span>
                    )}
                  </td>
                  <td className="cell-num">
                    <Link href={`/users?organization=${encodeURIComponent(organization.id)}`}>{users}</Link>
                  </td>
                  <td className="cell-actions col-optional">
                    <button
                      type="button"
                      className="btn btn-sm"
                      onClick={() => setEditing({ kind: "edit", organization })}
                      aria-label={`Edit ${organization.name}`}
                    >
                      Edit
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {data && rows.length > 0 ? (
        <p className="muted page-hint">
          Assign queues on the <Link href="/queues">Queues</Link> page and people on the <Link href="/users">Users</Link> page.
        </p>
      ) : null}
      <Dialog
        open={editing !== undefined}
        onClose={close}
        title={editing?.kind === "edit" ? `Edit ${editing.organization.name}` : "Add an organization"}
      >
        {editing ? (
          <OrganizationEditor
            key={editing.kind === "edit" ? editing.organization.id : "new"}
            organization={editing.kind === "edit" ? editing.organization : undefined}
            onCancel={close}
            onSaved={(saved) => {
              update((d) => ({ ...d, organizations: [...d.organizations.filter((o) => o.id !== saved.id), saved] }));
              close();
            }}
            onDeleted={(id) => {
              update((d) => ({ ...d, organizations: d.organizations.filter((o) => o.id !== id) }));
              close();
            }}
          />
        ) : null}
      </Dialog>
    </div>
  );
}

function OrganizationEditor({
  organization,
  onCancel,
  onSaved,
  onDeleted,
}: {
  organization: AgentOrganization | undefined;
  onCancel: () => void;
  onSaved: (organization: AgentOrganization) => void;
  onDeleted: (id: string) => void;
}) {
  const client = useClient();
  const submission = useSubmission();
  const [name, setName] = useState(organization?.name ?? "");
  const [showErrors, setShowErrors] = useState(false);
  const nameError = showErrors ? organizationNameError(name) : undefined;

  const save = () => {
    setShowErrors(true);
    if (organizationNameError(name)) return;
    const input = { name: name.trim() };
    void submission.run(async () =>
      onSaved(
        organization ? await client.organizations.rename(organization.id, input) : await client.organizations.create(input),
      ),
    );
  };
  const remove = organization
    ? {
        label: "Delete",
        confirmLabel: "Delete organization",
        onConfirm: () =>
          void submission.run(async () => {
            await client.organizations.delete(organization.id);
            onDeleted(organization.id);
          }),
      }
    : undefined;

  return (
    <DialogForm
      onSubmit={save}
      onCancel={onCancel}
      submitLabel={organization ? "Save" : "Add organization"}
      submission={submission}
      fields={["name"]}
      {...(remove ? { remove } : {})}
    >
      <TextField
        label="Name"
        hint="Unique among your organizations, e.g. the company's name."
        error={nameError ?? fieldError(submission.error, "name")}
        value={name}
        onChange={setName}
        maxLength={100}
        autoComplete="off"
      />
      {organization ? (
        <p className="field-hint">An organization can be deleted once nobody belongs to it: move its users first.</p>
      ) : null}
    </DialogForm>
  );
}
