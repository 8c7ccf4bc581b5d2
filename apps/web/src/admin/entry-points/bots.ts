import type { Identity } from "@switchboard/protocol";
import type { SwitchboardClient } from "@switchboard/sdk";

/** The tenant's bot identities (the server filters by kind; a tenant has few bots, many customers). */
export async function loadBots(client: SwitchboardClient, signal?: AbortSignal): Promise<Identity[]> {
  const bots: Identity[] = [];
  let after: string | undefined;
  do {
    const page = await client.identities.list(
      { kind: "bot", limit: 200, ...(after ? { after } : {}) },
      signal ? { signal } : undefined,
    );
    bots.push(...page.items);
    after = page.next ?? undefined;
  } while (after);
  return bots;
}
