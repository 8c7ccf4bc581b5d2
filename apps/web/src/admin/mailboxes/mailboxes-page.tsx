import type { Mailbox } from "@switchboard/protocol";
import { useCallback } from "react";
import { Link } from "wouter";
import { useResource } from "../../shell/data/use-resource.js";
import { useClient } from "../../shell/session/session-context.js";
import { AddButton, EditDialog, useEditDialog } from "../../shell/ui/edit-dialog.js";
import { Badge, EmptyState, ErrorNotice, SkeletonRows } from "../../shell/ui/feedback.js";
import { VoicemailIcon } from "../../shell/ui/flow-icons.js";
import { PageHeader } from "../../shell/ui/page.js";
import { RowActions, RowActionsHeader } from "../../shell/ui/row-actions.js";
import { MailboxEditor } from "./mailbox-editor.js";
import { ownerLabel } from "./mailbox-form.js";

/** The tenant's voicemail boxes: personal ones (a user's) and shared ones (a team's, for redirects). */
export function MailboxesPage() {
  const client = useClient();
  const load = useCallback(
    async (signal: AbortSignal) => {
      const [mailboxes, users] = await Promise.all([client.mailboxes.list({ signal }), client.users.list({ signal })]);
      return { mailboxes, users };
    },
    [client],
  );
  const { data, error, reload, update } = useResource(load);
  const dialog = useEditDialog<Mailbox>((change) => update((d) => ({ ...d, mailboxes: change(d.mailboxes) })));

  const addButton = <AddButton state={dialog} label="Add mailbox" />;
  // Shared ones first: they are what redirects name.
  const mailboxes = [...(data?.mailboxes ?? [])].sort(
    (a, b) => Number(a.ownerUserId !== null) - Number(b.ownerUserId !== null) || a.name.localeCompare(b.name),
  );
  return (
    <div className="page">
      <PageHeader
        title="Mailboxes"
        description="Voicemail: a personal mailbox per user, and shared ones that auto attendants and queues send callers to."
        actions={data && mailboxes.length > 0 ? addButton : undefined}
      />
      {error ? <ErrorNotice error={error} onRetry={reload} /> : null}
      {!data && !error ? <SkeletonRows rows={3} /> : null}
      {data && mailboxes.length === 0 ? (
        <EmptyState icon={<VoicemailIcon size={28} />} title="No mailboxes yet" action={addButton}>
          Add a shared mailbox for the calls nobody can take, or one for a user.
        </EmptyState>
      ) : null}
      {data && mailboxes.length > 0 ? (
        <div className="table-wrap card">
          <table className="table" aria-label="Mailboxes">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Owner</th>
                <th scope="col" className="col-optional">
                  Longest message
                </th>
                <th scope="col" className="col-optional">
                  Notify
                </th>
                <RowActionsHeader optional />
              </tr>
            </thead>
            <tbody>
              {mailboxes.map((mailbox) => (
                <tr key={mailbox.id}>
                  <td className="cell-strong">
                    <span className="cell-inline">
                      <Link href={`/mailboxes/${encodeURIComponent(mailbox.id)}`}>{mailbox.name}</Link>
                      {mailbox.hasPin ? <Badge tone="success">Has PIN</Badge> : null}
                    </span>
                  </td>
                  <td>{mailbox.ownerUserId === null ? <Badge tone="accent">Shared</Badge> : ownerLabel(mailbox, data.users)}</td>
                  <td className="col-optional">{mailbox.maxMessageSeconds} s</td>
                  <td className="col-optional">
                    {mailbox.notifyEmails.length > 0 ? mailbox.notifyEmails.join(", ") : <span className="muted">—</span>}
                  </td>
                  <RowActions edit={{ name: mailbox.name, open: () => dialog.openEdit(mailbox) }} optional />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <EditDialog state={dialog} title={(mailbox) => (mailbox ? `Edit mailbox ${mailbox.name}` : "Add a mailbox")}>
        {(mailbox, handlers) =>
          data ? <MailboxEditor mailbox={mailbox} users={data.users} mailboxes={data.mailboxes} {...handlers} /> : null
        }
      </EditDialog>
    </div>
  );
}
