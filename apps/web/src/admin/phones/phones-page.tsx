import type { SipAccount, User } from "@switchboard/protocol";
import { type FormEvent, useCallback, useState } from "react";
import { useResource } from "../../shell/data/use-resource.js";
import { coveredByFields, fieldError } from "../../shell/errors/describe-error.js";
import { useClient } from "../../shell/session/session-context.js";
import { Dialog } from "../../shell/ui/dialog.js";
import { EmptyState, ErrorNotice, SkeletonRows } from "../../shell/ui/feedback.js";
import { Field } from "../../shell/ui/form.js";
import { CheckIcon, DeskPhoneIcon, PlusIcon } from "../../shell/ui/icons.js";
import { ConfirmButton, PageHeader, Section } from "../../shell/ui/page.js";

type Dialogs = { kind: "new" } | { kind: "edit"; account: SipAccount } | { kind: "password"; account: SipAccount } | undefined;

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
  const [dialog, setDialog] = useState<Dialogs>(undefined);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const close = () => setDialog(undefined);

  const addButton = (
    <button type="button" className="btn btn-primary" onClick={() => setDialog({ kind: "new" })}>
      <PlusIcon size={16} /> Add phone
    </button>
  );
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
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
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
                    <td className="cell-actions">
                      <button
                        type="button"
                        className="btn btn-sm"
                        onClick={() => setDialog({ kind: "edit", account })}
                        aria-label={`Edit phone ${account.extension}`}
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
        <PhoneSettings example={accounts[0]?.username} />
      </div>

      <Dialog
        open={dialog?.kind === "new" || dialog?.kind === "edit"}
        onClose={close}
        title={dialog?.kind === "edit" ? `Edit phone ${dialog.account.extension}` : "Add a phone"}
      >
        {data && (dialog?.kind === "new" || dialog?.kind === "edit") ? (
          <AccountEditor
            key={dialog.kind === "edit" ? dialog.account.id : "new"}
            account={dialog.kind === "edit" ? dialog.account : undefined}
            users={data.users}
            onCancel={close}
            onSaved={(saved, created) => {
              update((d) => ({ ...d, accounts: [...d.accounts.filter((a) => a.id !== saved.id), saved] }));
              setNotice(
                created
                  ? `Phone ${saved.extension} added. Enter its username ${saved.username} and the password you chose in the phone.`
                  : `Phone ${saved.extension} saved.`,
              );
              close();
            }}
            onResetPassword={(account) => setDialog({ kind: "password", account })}
            onDeleted={(account) => {
              update((d) => ({ ...d, accounts: d.accounts.filter((a) => a.id !== account.id) }));
              setNotice(`Phone ${account.extension} deleted.`);
              close();
            }}
          />
        ) : null}
      </Dialog>
      <Dialog
        open={dialog?.kind === "password"}
        onClose={close}
        title={dialog?.kind === "password" ? `New password for phone ${dialog.account.extension}` : "New password"}
      >
        {dialog?.kind === "password" ? (
          <PasswordReset
            account={dialog.account}
            onCancel={close}
            onDone={(account) => {
              setNotice(`The password of phone ${account.extension} is changed: the phone must log in with the new one.`);
              close();
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
  const [username, setUsername] = useState(account?.username ?? "");
  const [extension, setExtension] = useState(account?.extension ?? "");
  const [displayName, setDisplayName] = useState(account?.displayName ?? "");
  const [userId, setUserId] = useState<string | null>(account?.userId ?? null);
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [showErrors, setShowErrors] = useState(false);

  const missing: Record<string, string | undefined> = {
    username: !account && username.trim() === "" ? "Enter the username the phone logs in with." : undefined,
    extension: extension.trim() === "" ? "Enter the extension, 2 to 8 digits." : undefined,
    password: !account && password === "" ? "Choose a password for the phone." : undefined,
  };
  const shown = (field: string) => (showErrors ? missing[field] : undefined) ?? fieldError(error, field);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setShowErrors(true);
    if (Object.values(missing).some(Boolean)) return;
    setBusy(true);
    setError(undefined);
    const details = { extension: extension.trim(), displayName: displayName.trim(), userId };
    try {
      if (account) onSaved(await client.telephony.sipAccounts.update(account.id, details), false);
      else onSaved(await client.telephony.sipAccounts.create({ ...details, username: username.trim(), password }), true);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  const remove = async () => {
    if (!account) return;
    setBusy(true);
    try {
      await client.telephony.sipAccounts.delete(account.id);
      onDeleted(account);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <form className="dialog-form" onSubmit={submit} noValidate>
      <div className="dialog-body stack-sm">
        {account ? (
          <p className="muted">
            Username <code>{account.username}</code>: it cannot change, since the phone's password is bound to it.
          </p>
        ) : (
          <Field
            label="Username"
            hint="What the phone logs in with: letters, digits, dots, dashes, underscores."
            error={shown("username")}
          >
            {(c) => (
              <input
                id={c.id}
                className="input input-mono"
                value={username}
                aria-describedby={c.describedBy}
                aria-invalid={c.invalid}
                onChange={(e) => setUsername(e.target.value)}
                maxLength={64}
                autoComplete="off"
                spellCheck={false}
              />
            )}
          </Field>
        )}
        <Field label="Extension" hint="2 to 8 digits; what flows and other phones dial." error={shown("extension")}>
          {(c) => (
            <input
              id={c.id}
              className="input input-mono"
              value={extension}
              aria-describedby={c.describedBy}
              aria-invalid={c.invalid}
              onChange={(e) => setExtension(e.target.value)}
              inputMode="numeric"
              maxLength={8}
              autoComplete="off"
            />
          )}
        </Field>
        <Field label="Display name" hint="Shown on the phones it calls; the username when empty." error={shown("displayName")}>
          {(c) => (
            <input
              id={c.id}
              className="input"
              value={displayName}
              aria-describedby={c.describedBy}
              onChange={(e) => setDisplayName(e.target.value)}
              maxLength={200}
              autoComplete="off"
            />
          )}
        </Field>
        <Field label="User" hint="The console user whose phone it is." error={shown("userId")}>
          {(c) => (
            <select
              id={c.id}
              className="input select"
              value={userId ?? ""}
              aria-describedby={c.describedBy}
              onChange={(e) => setUserId(e.target.value === "" ? null : e.target.value)}
            >
              <option value="">Nobody in particular</option>
              {users.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.displayName ? `${u.displayName} (${u.email})` : u.email}
                </option>
              ))}
            </select>
          )}
        </Field>
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
          <Field
            label="Password"
            hint="At least 8 characters. Enter it in the phone: it is never shown again."
            error={shown("password")}
          >
            {(c) => (
              <input
                id={c.id}
                className="input"
                type="password"
                value={password}
                aria-describedby={c.describedBy}
                aria-invalid={c.invalid}
                onChange={(e) => setPassword(e.target.value)}
                maxLength={256}
                autoComplete="new-password"
              />
            )}
          </Field>
        )}
        {error && !coveredByFields(error, ACCOUNT_FIELDS) ? <ErrorNotice error={error} /> : null}
      </div>
      <footer className="dialog-footer">
        {account ? <ConfirmButton label="Delete" confirmLabel="Delete phone" onConfirm={remove} disabled={busy} /> : null}
        <span className="spacer" />
        <button type="button" className="btn btn-ghost" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? "Saving…" : account ? "Save" : "Add phone"}
        </button>
      </footer>
    </form>
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
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [showErrors, setShowErrors] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setShowErrors(true);
    if (password === "") return;
    setBusy(true);
    setError(undefined);
    try {
      onDone(await client.telephony.sipAccounts.resetPassword(account.id, password));
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <form className="dialog-form" onSubmit={submit} noValidate>
      <div className="dialog-body stack-sm">
        <p className="muted">
          Phone <code>{account.username}</code> must log in with the new password: enter it in the phone too.
        </p>
        <Field
          label="New password"
          hint="At least 8 characters. It is never shown again."
          error={(showErrors && password === "" ? "Enter the new password." : undefined) ?? fieldError(error, "password")}
        >
          {(c) => (
            <input
              id={c.id}
              className="input"
              type="password"
              value={password}
              aria-describedby={c.describedBy}
              aria-invalid={c.invalid}
              onChange={(e) => setPassword(e.target.value)}
              maxLength={256}
              autoComplete="new-password"
            />
          )}
        </Field>
        {error && !coveredByFields(error, ["password"]) ? <ErrorNotice error={error} /> : null}
      </div>
      <footer className="dialog-footer">
        <span className="spacer" />
        <button type="button" className="btn btn-ghost" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? "Saving…" : "Set password"}
        </button>
      </footer>
    </form>
  );
}
