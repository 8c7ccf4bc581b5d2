import type { AgentOrganization, Role, User } from "@switchboard/protocol";
import { useCallback, useState } from "react";
import { useLocation, useSearch } from "wouter";
import { useResource } from "../../shell/data/use-resource.js";
import { fieldError } from "../../shell/errors/describe-error.js";
import { useClient, useSession } from "../../shell/session/session-context.js";
import type { Choice } from "../../shell/ui/choice.js";
import { Dialog } from "../../shell/ui/dialog.js";
import { DialogForm, useSubmission } from "../../shell/ui/dialog-form.js";
import { Badge, EmptyState, ErrorNotice, SkeletonRows } from "../../shell/ui/feedback.js";
import { SelectField, TextField } from "../../shell/ui/fields.js";
import { PlusIcon, UserCogIcon } from "../../shell/ui/icons.js";
import { PageHeader } from "../../shell/ui/page.js";
import { organizationName } from "../organizations/organizations.js";
import {
  filterUsers,
  formFromUser,
  IN_HOUSE,
  MIN_PASSWORD,
  type NewUserForm,
  newUserForm,
  newUserRequest,
  ROLES,
  roleLabel,
  userPatch,
  validateNewUser,
  validateUser,
} from "./user-form.js";

type Editing = { kind: "new" } | { kind: "edit"; user: User } | undefined;

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
  const [editing, setEditing] = useState<Editing>(undefined);
  const close = () => setEditing(undefined);

  const setOrganization = (value: string) =>
    navigate(value ? `/users?organization=${encodeURIComponent(value)}` : "/users", { replace: true });
  const shown = data ? filterUsers(data.users, organization) : [];
  const addButton = (
    <button type="button" className="btn btn-primary" onClick={() => setEditing({ kind: "new" })}>
      <PlusIcon size={16} /> Add user
    </button>
  );

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
                <th scope="col" className="col-optional">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((user) => (
                <tr key={user.id}>
                  <td className="cell-strong">
                    <span className="cell-inline">
                      <button type="button" className="link-button" onClick={() => setEditing({ kind: "edit", user })}>
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
                  <td className="cell-actions col-optional">
                    <button
                      type="button"
                      className="btn btn-sm"
                      onClick={() => setEditing({ kind: "edit", user })}
                      aria-label={`Edit ${user.displayName}`}
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
      <Dialog
        open={editing !== undefined}
        onClose={close}
        title={editing?.kind === "edit" ? `Edit ${editing.user.displayName}` : "Add a user"}
      >
        {editing && data ? (
          <UserEditor
            key={editing.kind === "edit" ? editing.user.id : "new"}
            user={editing.kind === "edit" ? editing.user : undefined}
            organizations={data.organizations}
            defaultOrganization={organization && organization !== IN_HOUSE ? organization : null}
            onCancel={close}
            onSaved={(saved) => {
              update((d) => ({ ...d, users: [...d.users.filter((u) => u.id !== saved.id), saved] }));
              close();
            }}
          />
        ) : null}
      </Dialog>
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
  const submission = useSubmission();
  const [form, setForm] = useState<NewUserForm>(() =>
    user ? { ...newUserForm(), ...formFromUser(user) } : newUserForm(defaultOrganization),
  );
  const [showErrors, setShowErrors] = useState(false);
  const errors = user ? validateUser(form) : validateNewUser(form);
  const shownError = (field: (typeof FIELDS)[number]) =>
    (showErrors ? errors[field] : undefined) ?? fieldError(submission.error, field);
  const set = (change: Partial<NewUserForm>) => setForm((f) => ({ ...f, ...change }));

  const save = () => {
    setShowErrors(true);
    if (Object.keys(errors).length > 0) return;
    void submission.run(async () => {
      if (!user) {
        onSaved(await client.users.create(newUserRequest(form)));
        return;
      }
      const patch = userPatch(user, form);
      onSaved(Object.keys(patch).length === 0 ? user : await client.users.update(user.id, patch));
    });
  };

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
      submission={submission}
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
