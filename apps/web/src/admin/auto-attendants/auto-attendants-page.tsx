import { useCallback } from "react";
import { Link } from "wouter";
import { useResource } from "../../shell/data/use-resource.js";
import { formatDateTime } from "../../shell/format/time.js";
import { useClient } from "../../shell/session/session-context.js";
import { Badge, EmptyState, ErrorNotice, SkeletonRows } from "../../shell/ui/feedback.js";
import { KeypadIcon } from "../../shell/ui/flow-icons.js";
import { PlusIcon } from "../../shell/ui/icons.js";
import { PageHeader } from "../../shell/ui/page.js";
import { flowSummary } from "./attendant-form.js";
import { loadTargetDirectory } from "./target-directory.js";

/** The tenant's auto attendants: the numbers each answers, its menu in a line, its current version. */
export function AutoAttendantsPage() {
  const client = useClient();
  const load = useCallback(
    async (signal: AbortSignal) => {
      const [attendants, numbers, directory] = await Promise.all([
        client.autoAttendants.list({ signal }),
        client.telephony.phoneNumbers.list({ signal }),
        loadTargetDirectory(client, signal),
      ]);
      return { attendants, numbers, directory };
    },
    [client],
  );
  const { data, error, reload } = useResource(load);
  const addButton = (
    <Link href="/auto-attendants/new" className="btn btn-primary">
      <PlusIcon size={16} /> Add auto attendant
    </Link>
  );
  const attendants = [...(data?.attendants ?? [])].sort((a, b) => a.name.localeCompare(b.name));

  return (
    <div className="page">
      <PageHeader
        title="Auto attendants"
        description="Answer a number with a greeting and a menu (press 1 for sales), on a schedule with business hours and holidays."
        actions={data && attendants.length > 0 ? addButton : undefined}
      />
      {error ? <ErrorNotice error={error} onRetry={reload} /> : null}
      {!data && !error ? <SkeletonRows rows={3} /> : null}
      {data && attendants.length === 0 ? (
        <EmptyState icon={<KeypadIcon size={28} />} title="No auto attendants yet" action={addButton}>
          Greet callers and let them choose: a queue, a person, a mailbox, another menu.
        </EmptyState>
      ) : null}
      {data && attendants.length > 0 ? (
        <div className="table-wrap card">
          <table className="table" aria-label="Auto attendants">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Answers</th>
                <th scope="col" className="col-optional">
                  Business hours
                </th>
                <th scope="col" className="col-optional">
                  Published
                </th>
              </tr>
            </thead>
            <tbody>
              {attendants.map((attendant) => {
                const numbers = data.numbers.filter(
                  (n) => n.entry.kind === "auto_attendant" && n.entry.autoAttendantId === attendant.id,
                );
                return (
                  <tr key={attendant.id}>
                    <td className="cell-strong">
                      <span className="cell-inline">
                        <Link href={`/auto-attendants/${encodeURIComponent(attendant.id)}`}>{attendant.name}</Link>
                        <Badge>v{attendant.version}</Badge>
                      </span>
                    </td>
                    <td>
                      {numbers.length > 0 ? (
                        <span className="cell-mono">{numbers.map((n) => n.e164).join(", ")}</span>
                      ) : (
                        <span className="muted">No number</span>
                      )}
                    </td>
                    <td className="col-optional">{flowSummary(attendant.businessHours, data.directory)}</td>
                    <td className="col-optional cell-time">{formatDateTime(attendant.updatedAt)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
