import { useCallback } from "react";
import { Link } from "wouter";
import { useResource } from "../../shell/data/use-resource.js";
import { useClient } from "../../shell/session/session-context.js";
import { Badge, EmptyState, ErrorNotice, SkeletonRows } from "../../shell/ui/feedback.js";
import { PlusIcon, ServerIcon } from "../../shell/ui/icons.js";
import { PageHeader } from "../../shell/ui/page.js";
import { inboundSummary, outboundSummary } from "./trunk-form.js";

/** SIP trunks: how a carrier or a PBX sends the tenant's calls in, and where calls to numbers go out. */
export function TrunksPage() {
  const client = useClient();
  const load = useCallback(
    async (signal: AbortSignal) => {
      const [trunks, numbers] = await Promise.all([
        client.telephony.trunks.list({ signal }),
        client.telephony.phoneNumbers.list({ signal }),
      ]);
      return { trunks, numbers };
    },
    [client],
  );
  const { data, error, reload } = useResource(load);

  const newButton = (
    <Link href="/trunks/new" className="btn btn-primary">
      <PlusIcon size={16} /> Add trunk
    </Link>
  );
  return (
    <div className="page">
      <PageHeader
        title="Trunks"
        description="Connections to carriers and PBXs: which addresses or accounts may send you calls, and where calls to numbers leave."
        actions={data && data.trunks.length > 0 ? newButton : undefined}
      />
      {error ? <ErrorNotice error={error} onRetry={reload} /> : null}
      {!data && !error ? <SkeletonRows rows={3} /> : null}
      {data && data.trunks.length === 0 ? (
        <EmptyState icon={<ServerIcon size={28} />} title="No trunks yet" action={newButton}>
          Without a trunk, your numbers are reached through the platform's carrier. Add one to bring your own carrier or connect a
          PBX.
        </EmptyState>
      ) : null}
      {data && data.trunks.length > 0 ? (
        <div className="table-wrap card">
          <table className="table" aria-label="Trunks">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Inbound from</th>
                <th scope="col" className="col-optional">
                  Outbound to
                </th>
                <th scope="col" className="col-optional">
                  Numbers
                </th>
              </tr>
            </thead>
            <tbody>
              {[...data.trunks]
                .sort((a, b) => a.name.localeCompare(b.name))
                .map((trunk) => {
                  const numbers = data.numbers.filter((n) => n.trunkId === trunk.id).length;
                  return (
                    <tr key={trunk.id}>
                      <td className="cell-strong">
                        <span className="cell-inline">
                          <Link href={`/trunks/${encodeURIComponent(trunk.id)}`}>{trunk.name}</Link>
                          {trunk.byoc ? <Badge tone="accent">BYOC</Badge> : null}
                          {trunk.enabled ? null : <Badge>Disabled</Badge>}
                        </span>
                      </td>
                      <td>{inboundSummary(trunk)}</td>
                      <td className="col-optional">{outboundSummary(trunk)}</td>
                      <td className="col-optional cell-num">{numbers}</td>
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
