import type { AgentOrganization, Role, User } from "@switchboard/protocol";
import { useCallback } from "react";
import { useLocation, useSearch } from "wouter";
import { useResource } from "../../shell/data/use-resource.js";
import { useClient, useSession } from "../../shell/session/session-context.js";
import type { Choice } from "../../shell/ui/choice.js";
import { DialogForm, saveEdits, useEditorForm } from "../../shell/ui/dialog-form.js";
import { AddButton, EditDialog, useEditDialog } from "../../shell/ui/edit-dialog.js";
import { Badge, EmptyState, ErrorNotice, SkeletonRows } from "../../shell/ui/feedback.js";
import { SelectField, TextField } from "../../shell/ui/fields.js";
import { UserCogIcon } from "../../shell/ui/icons.js";
import { PageHeader } from "../../shell/ui/page.js";
import { RowActions, RowActionsHeader } from "../../shell/ui/row-actions.js";
import { organizationName } from "../organizations/organizations.js";
import {
  filterUsers,
  formFromUser,
  IN_HOUSE,
  MIN_PASSWORD,
  newUserForm,
  newUserRequest,
  ROLES,
  roleLabel,
  userPatch,
  validateNewUser,
  validateUser,
} from "./user-form.js";

const FIELDS = ["email", "displayName", "role", "organizationId", "password"] as const;

/** The tenant's staff: their names, roles and the agent organization each works for (filtered in the URL). */
export function UsersPage() {
  const client = useClient();
  const { session } = useSession();
  const [, navigate] = useLocation();
  const organization = new URLSearchParams(useSearch()).get("organization") ?? undefined;
  const load = useCallback(
    async (signal: AbortSignal) => {
      const [users, organizations] = await Promise.all([client.users.list({ signal }), client.organizations.list({ signal })]);
      return { users, organizations };
    },
    [client],
  );
  const { data, error, reload, update } = useResource(load);
  const dialog = useEditDialog<User>((change) => update((d) => ({ ...d, users: change(d.users) })));

  const setOrganization = (value: string) =>
    navigate(value ? `/users?organization=${encodeURIComponent(value)}` : "/users", { replace: true });
  const shown = data ? filterUsers(data.users, organization) : [];
  const addButton = <AddButton state={dialog} label="Add user" />;

  return (
    <div className="page">
      <PageHeader
        title="Users"
        description="Your agents, supervisors and admins: their roles, and the organization each works for."
        actions={addButton}
      />
      <div className="toolbar">
        <label className="filter">
          <span className="filter-label">Organization</span>
          <select className="input select" value={organization ?? ""} onChange={(e) => setOrganization(e.target.value)}>
            <option value="">Everyone</option>
            <option value={IN_HOUSE}>In-house</option>
            {(data?.organizations ?? []).map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </label>
        {data ? <span className="toolbar-count muted">{`${shown.length} of ${data.users.length}`}</span> : null}
      </div>
      {error ? <ErrorNotice error={error} onRetry={reload} /> : null}
      {!data && !error ? <SkeletonRows rows={4} /> : null}
      {data && shown.length === 0 ? (
        <EmptyState icon={<UserCogIcon size={28} />} title={organization ? "Nobody here yet" : "No users yet"}>
          {organization ? "Nobody works for this organization. Edit a user to move them here." : "Add your first agent."}
        </EmptyState>
      ) : null}
      {data && shown.length > 0 ? (
        <div className="table-wrap card">
          <table className="table" aria-label="Users">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col" className="col-optional">
                  Email
                </th>
                <th scope="col">Role</th>
                <th scope="col">Organization</th>
                <RowActionsHeader optional />
              </tr>
            </thead>
            <tbody>
              {shown.map((user) => (
                <tr key={user.id}>
                  <td className="cell-strong">
                    <span className="cell-inline">
                      <button type="button" className="link-button" onClick={() => dialog.openEdit(user)}>
                        {user.displayName}
                      </button>
                      {user.id === session?.user.id ? <Badge>You</Badge> : null}
                    </span>
                  </td>
                  <td className="col-optional">{user.email}</td>
                  <td>{roleLabel(user.role)}</td>
                  <td>
                    {user.organizationId ? (
                      <Badge tone="accent">{organizationName(user.organizationId, data.organizations)}</Badge>
                    ) : (
                      <span className="muted">In-house</span>
                    )}
                  </td>
                  <RowActions edit={{ name: user.displayName, open: () => dialog.openEdit(user) }} optional />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <EditDialog state={dialog} title={(user) => (user ? `Edit ${user.displayName}` : "Add a user")}>
        {(user, handlers) =>
          data ? (
            <UserEditor
              user={user}
              organizations={data.organizations}
              defaultOrganization={organization && organization !== IN_HOUSE ? organization : null}
              {...handlers}
            />
          ) : null
        }
      </EditDialog>
    </div>
  );
}

function UserEditor({
  user,
  organizations,
  defaultOrganization,
  onCancel,
  onSaved,
}: {
  user: User | undefined;
  organizations: readonly AgentOrganization[];
  defaultOrganization: string | null;
  onCancel: () => void;
  onSaved: (user: User) => void;
}) {
  const client = useClient();
  const editor = useEditorForm(
    () => (user ? { ...newUserForm(), ...formFromUser(user) } : newUserForm(defaultOrganization)),
    user ? validateUser : validateNewUser,
  );
  const { form, set, error: shownError } = editor;

  const save = () =>
    editor.save(async () =>
      onSaved(await saveEdits(client.users, user, { input: () => newUserRequest(form), patch: (u) => userPatch(u, form) })),
    );

  const organizationChoices: Choice<string>[] = [
    { value: "", label: "In-house" },
    ...organizations.map((o) => ({ value: o.id, label: o.name })),
    // A user of an organization the list does not have (deleted meanwhile): shown as it is.
    ...(form.organizationId && !organizations.some((o) => o.id === form.organizationId)
      ? [{ value: form.organizationId, label: organizationName(form.organizationId, organizations) }]
      : []),
  ];
  const admin = form.role === "admin";
  return (
    <DialogForm
      onSubmit={save}
      onCancel={onCancel}
      submitLabel={user ? "Save" : "Add user"}
      submission={editor.submission}
      fields={FIELDS}
    >
      {user ? (
        <p className="field-hint">
          Signs in as <strong>{user.email}</strong>.
        </p>
      ) : (
        <TextField
          label="Email"
          hint="They sign in with it."
          error={shownError("email")}
          value={form.email}
          onChange={(email) => set({ email })}
          type="email"
          autoComplete="off"
          maxLength={254}
        />
      )}
      <TextField
        label="Display name"
        hint="What colleagues and customers see."
        error={shownError("displayName")}
        value={form.displayName}
        onChange={(displayName) => set({ displayName })}
        maxLength={128}
        autoComplete="off"
      />
      <SelectField<Role>
        label="Role"
        hint={ROLES.find((r) => r.value === form.role)?.description}
        error={shownError("role")}
        value={form.role}
        onChange={(role) => set({ role })}
        choices={ROLES}
      />
      <SelectField<string>
        label="Organization"
        hint={
          admin
            ? "Admins are always in-house."
            : "An organization's users see only the queues assigned to it, and only each other."
        }
        error={shownError("organizationId")}
        value={admin ? "" : (form.organizationId ?? "")}
        onChange={(value) => set({ organizationId: value === "" ? null : value })}
        choices={organizationChoices}
        disabled={admin}
      />
      {user ? null : (
        <TextField
          label="Password"
          hint={`At least ${MIN_PASSWORD} characters. Give it to them; they sign in with it.`}
          error={shownError("password")}
          value={form.password}
          onChange={(password) => set({ password })}
          type="password"
          autoComplete="new-password"
          maxLength={256}
        />
      )}
      {user && form.role !== user.role ? (
        <p className="field-hint">The new role applies to their next request; they may need to reload their page.</p>
      ) : null}
    </DialogForm>
  );
}
