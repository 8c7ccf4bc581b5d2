import type { SipAccount, User } from "@switchboard/protocol";
import { useCallback, useState } from "react";
import { useResource } from "../../shell/data/use-resource.js";
import { useClient } from "../../shell/session/session-context.js";
import { Dialog } from "../../shell/ui/dialog.js";
import { DialogForm, useEditorForm } from "../../shell/ui/dialog-form.js";
import { AddButton, EditDialog, useEditDialog } from "../../shell/ui/edit-dialog.js";
import { EmptyState, ErrorNotice, SkeletonRows } from "../../shell/ui/feedback.js";
import { SelectField, TextField } from "../../shell/ui/fields.js";
import { CheckIcon, DeskPhoneIcon } from "../../shell/ui/icons.js";
import { PageHeader, Section } from "../../shell/ui/page.js";
import { RowActions, RowActionsHeader } from "../../shell/ui/row-actions.js";

/** The SIP realm phones authenticate in: the server's default (`SWITCHBOARD_SIP_REALM`); no API says otherwise yet. */
const DEFAULT_REALM = "switchboard";
const DEFAULT_SIP_PORT = 5060;

/** Agents' SIP phones (desk phones, softphones): their logins and extensions, and what to enter in a phone. */
export function PhonesPage() {
  const client = useClient();
  const load = useCallback(
    async (signal: AbortSignal) => {
      const [accounts, users] = await Promise.all([client.telephony.sipAccounts.list({ signal }), client.users.list({ signal })]);
      return { accounts, users };
    },
    [client],
  );
  const { data, error, reload, update } = useResource(load);
  const dialog = useEditDialog<SipAccount>((change) => update((d) => ({ ...d, accounts: change(d.accounts) })));
  // The phone whose password is being reset (its own dialog, opened from the editor's).
  const [resetting, setResetting] = useState<SipAccount | undefined>(undefined);
  const [notice, setNotice] = useState<string | undefined>(undefined);

  const addButton = <AddButton state={dialog} label="Add phone" />;
  const accounts = [...(data?.accounts ?? [])].sort((a, b) =>
    a.extension.localeCompare(b.extension, undefined, { numeric: true }),
  );
  return (
    <div className="page">
      <PageHeader
        title="Phones"
        description="SIP accounts for your agents' desk phones and softphones. Each has an extension that flows and other phones dial."
        actions={data && data.accounts.length > 0 ? addButton : undefined}
      />
      {error ? <ErrorNotice error={error} onRetry={reload} /> : null}
      {notice ? (
        <div className="notice notice-info page-notice" role="status">
          <CheckIcon size={16} />
          <span className="notice-body">{notice}</span>
          <button type="button" className="btn btn-ghost btn-sm" onClick={() => setNotice(undefined)}>
            Dismiss
          </button>
        </div>
      ) : null}
      <div className="stack">
        {!data && !error ? <SkeletonRows rows={3} /> : null}
        {data && data.accounts.length === 0 ? (
          <EmptyState icon={<DeskPhoneIcon size={28} />} title="No phones yet" action={addButton}>
            Add a SIP account for each agent's phone: it rings when a flow dials its extension.
          </EmptyState>
        ) : null}
        {data && data.accounts.length > 0 ? (
          <div className="table-wrap card">
            <table className="table" aria-label="Phones">
              <thead>
                <tr>
                  <th scope="col">Extension</th>
                  <th scope="col">Username</th>
                  <th scope="col" className="col-optional">
                    Display name
                  </th>
                  <th scope="col" className="col-optional">
                    User
                  </th>
                  <RowActionsHeader />
                </tr>
              </thead>
              <tbody>
                {accounts.map((account) => (
                  <tr key={account.id}>
                    <td className="cell-strong cell-mono">{account.extension}</td>
                    <td className="cell-mono">{account.username}</td>
                    <td className="col-optional">{account.displayName}</td>
                    <td className="col-optional">
                      <UserName userId={account.userId} users={data.users} />
                    </td>
                    <RowActions edit={{ name: `phone ${account.extension}`, open: () => dialog.openEdit(account) }} />
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        <PhoneSettings example={accounts[0]?.username} />
      </div>

      <EditDialog state={dialog} title={(account) => (account ? `Edit phone ${account.extension}` : "Add a phone")}>
        {(account) =>
          data ? (
            <AccountEditor
              account={account}
              users={data.users}
              onCancel={dialog.close}
              onSaved={(saved, created) => {
                dialog.saved(saved);
                setNotice(
                  created
                    ? `Phone ${saved.extension} added. Enter its username ${saved.username} and the password you chose in the phone.`
                    : `Phone ${saved.extension} saved.`,
                );
              }}
              onResetPassword={(account) => {
                dialog.close();
                setResetting(account);
              }}
              onDeleted={(account) => {
                dialog.deleted(account.id);
                setNotice(`Phone ${account.extension} deleted.`);
              }}
            />
          ) : null
        }
      </EditDialog>
      <Dialog
        open={resetting !== undefined}
        onClose={() => setResetting(undefined)}
        title={resetting ? `New password for phone ${resetting.extension}` : "New password"}
      >
        {resetting ? (
          <PasswordReset
            account={resetting}
            onCancel={() => setResetting(undefined)}
            onDone={(account) => {
              setNotice(`The password of phone ${account.extension} is changed: the phone must log in with the new one.`);
              setResetting(undefined);
            }}
          />
        ) : null}
      </Dialog>
    </div>
  );
}

function UserName({ userId, users }: { userId: string | null; users: readonly User[] }) {
  if (userId === null) return <span className="muted">—</span>;
  const user = users.find((u) => u.id === userId);
  return user ? <span title={user.email}>{user.displayName || user.email}</span> : <code>{userId}</code>;
}

/**
 * What to enter in a phone. The browser cannot know where phones reach the SIP server, so this is this
 * page's host with the default port and realm, said plainly.
 */
function PhoneSettings({ example }: { example: string | undefined }) {
  const host = globalThis.location.hostname;
  return (
    <div className="phone-settings">
      <Section title="Phone settings" description="Enter these in the phone or softphone (Linphone, baresip, a desk phone).">
        <dl className="details">
          <dt>SIP server</dt>
          <dd>
            <code>{host}</code>
          </dd>
          <dt>Port</dt>
          <dd>
            <code>{DEFAULT_SIP_PORT}</code>
          </dd>
          <dt>Transport</dt>
          <dd>UDP or TCP</dd>
          <dt>Domain (realm)</dt>
          <dd>
            <code>{DEFAULT_REALM}</code>
          </dd>
          <dt>Username</dt>
          <dd>
            {example ? (
              <>
                The phone's, e.g. <code>{example}</code>
              </>
            ) : (
              "The phone's"
            )}
          </dd>
          <dt>Password</dt>
          <dd>The one set here; it is never shown again</dd>
        </dl>
        <p className="field-hint">
          These are the defaults, with this page's address. If phones reach Switchboard at another address (behind NAT or a
          proxy), or its SIP port or realm were changed, your administrator has the values to use instead.
        </p>
      </Section>
    </div>
  );
}

const ACCOUNT_FIELDS = ["username", "extension", "displayName", "userId", "password"] as const;

/** What the phone's form lacks: a new phone needs a username and a password, every phone an extension. */
function missingOf(isNew: boolean) {
  return (form: { username: string; extension: string; password: string }): Record<string, string> => {
    const missing: Record<string, string> = {};
    if (isNew && form.username.trim() === "") missing.username = "Enter the username the phone logs in with.";
    if (form.extension.trim() === "") missing.extension = "Enter the extension, 2 to 8 digits.";
    if (isNew && form.password === "") missing.password = "Choose a password for the phone.";
    return missing;
  };
}

function AccountEditor({
  account,
  users,
  onCancel,
  onSaved,
  onResetPassword,
  onDeleted,
}: {
  account: SipAccount | undefined;
  users: readonly User[];
  onCancel: () => void;
  onSaved: (account: SipAccount, created: boolean) => void;
  onResetPassword: (account: SipAccount) => void;
  onDeleted: (account: SipAccount) => void;
}) {
  const client = useClient();
  const editor = useEditorForm(
    {
      username: account?.username ?? "",
      extension: account?.extension ?? "",
      displayName: account?.displayName ?? "",
      userId: account?.userId ?? "",
      password: "",
    },
    missingOf(account === undefined),
  );
  const { form, set } = editor;

  const save = () => {
    const details = { extension: form.extension.trim(), displayName: form.displayName.trim(), userId: form.userId || null };
    const { sipAccounts } = client.telephony;
    editor.save(async () => {
      if (account) onSaved(await sipAccounts.update(account.id, details), false);
      else onSaved(await sipAccounts.create({ ...details, username: form.username.trim(), password: form.password }), true);
    });
  };
  const remove = account && {
    confirmLabel: "Delete phone",
    action: async () => {
      await client.telephony.sipAccounts.delete(account.id);
      onDeleted(account);
    },
  };
  const userChoices = [
    { value: "", label: "Nobody in particular" },
    ...users.map((u) => ({ value: u.id, label: u.displayName ? `${u.displayName} (${u.email})` : u.email })),
  ];

  return (
    <DialogForm
      onSubmit={save}
      onCancel={onCancel}
      submitLabel={account ? "Save" : "Add phone"}
      submission={editor.submission}
      fields={ACCOUNT_FIELDS}
      remove={remove}
    >
      {account ? (
        <p className="muted">
          Username <code>{account.username}</code>: it cannot change, since the phone's password is bound to it.
        </p>
      ) : (
        <TextField
          label="Username"
          hint="What the phone logs in with: letters, digits, dots, dashes, underscores."
          error={editor.error("username")}
          value={form.username}
          onChange={(username) => set({ username })}
          maxLength={64}
          autoComplete="off"
          spellCheck={false}
          mono
        />
      )}
      <TextField
        label="Extension"
        hint="2 to 8 digits; what flows and other phones dial."
        error={editor.error("extension")}
        value={form.extension}
        onChange={(extension) => set({ extension })}
        inputMode="numeric"
        maxLength={8}
        autoComplete="off"
        mono
      />
      <TextField
        label="Display name"
        hint="Shown on the phones it calls; the username when empty."
        error={editor.error("displayName")}
        value={form.displayName}
        onChange={(displayName) => set({ displayName })}
        maxLength={200}
        autoComplete="off"
      />
      <SelectField
        label="User"
        hint="The console user whose phone it is."
        error={editor.error("userId")}
        value={form.userId}
        onChange={(userId) => set({ userId })}
        choices={userChoices}
      />
      {account ? (
        <div className="field">
          <span className="field-label">Password</span>
          <span className="cell-inline">
            <span className="muted">Set, and never shown.</span>
            <button type="button" className="btn btn-sm" onClick={() => onResetPassword(account)}>
              Reset password
            </button>
          </span>
        </div>
      ) : (
        <TextField
          label="Password"
          hint="At least 8 characters. Enter it in the phone: it is never shown again."
          error={editor.error("password")}
          value={form.password}
          onChange={(password) => set({ password })}
          type="password"
          maxLength={256}
          autoComplete="new-password"
        />
      )}
    </DialogForm>
  );
}

function PasswordReset({
  account,
  onCancel,
  onDone,
}: {
  account: SipAccount;
  onCancel: () => void;
  onDone: (account: SipAccount) => void;
}) {
  const client = useClient();
  const editor = useEditorForm(
    { password: "" },
    ({ password }): Record<string, string> => (password === "" ? { password: "Enter the new password." } : {}),
  );
  const { password } = editor.form;

  return (
    <DialogForm
      onSubmit={() => editor.save(async () => onDone(await client.telephony.sipAccounts.resetPassword(account.id, password)))}
      onCancel={onCancel}
      submitLabel="Set password"
      submission={editor.submission}
      fields={["password"]}
    >
      <p className="muted">
        Phone <code>{account.username}</code> must log in with the new password: enter it in the phone too.
      </p>
      <TextField
        label="New password"
        hint="At least 8 characters. It is never shown again."
        error={editor.error("password")}
        value={password}
        onChange={(value) => editor.set({ password: value })}
        type="password"
        maxLength={256}
        autoComplete="new-password"
      />
    </DialogForm>
  );
}
