import type { SwitchboardClient } from "@switchboard/sdk";
import type { TargetDirectory } from "./call-targets.js";

/**
 * The names call targets point at, loaded together: queues, auto attendants, mailboxes, the phones'
 * extensions, and (for a queue's exceptions) the agents.
 */
export async function loadTargetDirectory(
  client: SwitchboardClient,
  signal: AbortSignal,
  options: { workers?: boolean } = {},
): Promise<TargetDirectory> {
  const [queues, autoAttendants, mailboxes, phones, workers] = await Promise.all([
    client.queues.list({ signal }),
    client.autoAttendants.list({ signal }),
    client.mailboxes.list({ signal }),
    client.telephony.sipAccounts.list({ signal }),
    options.workers ? client.workers.list({ signal }) : Promise.resolve([]),
  ]);
  const byName = <T extends { name: string }>(items: T[]): T[] => items.sort((a, b) => a.name.localeCompare(b.name));
  return {
    queues: byName(queues.map((q) => ({ id: q.id, name: q.name }))),
    autoAttendants: byName(autoAttendants.map((a) => ({ id: a.id, name: a.name }))),
    mailboxes: byName(mailboxes.map((m) => ({ id: m.id, name: m.name, ownerUserId: m.ownerUserId }))),
    extensions: phones
      .map((p) => ({ extension: p.extension, name: p.displayName || p.username }))
      .sort((a, b) => a.extension.localeCompare(b.extension)),
    workers: byName(workers.map((w) => ({ id: w.id, name: w.name }))),
  };
}
