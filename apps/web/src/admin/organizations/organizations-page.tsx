import type { AgentOrganization } from "@switchboard/protocol";
import { useCallback } from "react";
import { Link } from "wouter";
import { useResource } from "../../shell/data/use-resource.js";
import { useClient } from "../../shell/session/session-context.js";
import { DialogForm, useEditorForm } from "../../shell/ui/dialog-form.js";
import { AddButton, EditDialog, useEditDialog } from "../../shell/ui/edit-dialog.js";
import { EmptyState, ErrorNotice, SkeletonRows } from "../../shell/ui/feedback.js";
import { TextField } from "../../shell/ui/fields.js";
import { BuildingIcon } from "../../shell/ui/icons.js";
import { PageHeader } from "../../shell/ui/page.js";
import { RowActions, RowActionsHeader } from "../../shell/ui/row-actions.js";
import { organizationNameError, organizationRows } from "./organizations.js";

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
  const dialog = useEditDialog<AgentOrganization>((change) => update((d) => ({ ...d, organizations: change(d.organizations) })));

  const addButton = <AddButton state={dialog} label="Add organization" />;
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
                <RowActionsHeader optional />
              </tr>
            </thead>
            <tbody>
              {rows.map(({ organization, queues, users }) => (
                <tr key={organization.id}>
                  <td className="cell-strong">
                    <button type="button" className="link-button" onClick={() => dialog.openEdit(organization)}>
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
                  <RowActions edit={{ name: organization.name, open: () => dialog.openEdit(organization) }} optional />
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
      <EditDialog state={dialog} title={(organization) => (organization ? `Edit ${organization.name}` : "Add an organization")}>
        {(organization, handlers) => <OrganizationEditor organization={organization} {...handlers} />}
      </EditDialog>
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
  const editor = useEditorForm({ name: organization?.name ?? "" }, ({ name }): Record<string, string> => {
    const problem = organizationNameError(name);
    return problem ? { name: problem } : {};
  });

  const save = () => {
    const input = { name: editor.form.name.trim() };
    editor.save(async () =>
      onSaved(
        organization ? await client.organizations.rename(organization.id, input) : await client.organizations.create(input),
      ),
    );
  };
  const remove = organization && {
    confirmLabel: "Delete organization",
    action: async () => {
      await client.organizations.delete(organization.id);
      onDeleted(organization.id);
    },
  };

  return (
    <DialogForm
      onSubmit={save}
      onCancel={onCancel}
      submitLabel={organization ? "Save" : "Add organization"}
      submission={editor.submission}
      fields={["name"]}
      remove={remove}
    >
      <TextField
        label="Name"
        hint="Unique among your organizations, e.g. the company's name."
        error={editor.error("name")}
        value={editor.form.name}
        onChange={(name) => editor.set({ name })}
        maxLength={100}
        autoComplete="off"
      />
      {organization ? (
        <p className="field-hint">An organization can be deleted once nobody belongs to it: move its users first.</p>
      ) : null}
    </DialogForm>
  );
}
