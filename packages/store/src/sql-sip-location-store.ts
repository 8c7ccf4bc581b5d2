import type { SipBinding, SipLocationStore, SipTransportKind } from "@switchboard/core";
import type { Kysely, Selectable } from "kysely";
import { guard } from "./errors.js";
import type { Database, SipBindingsTable } from "./schema.js";

const toBinding = (r: Selectable<SipBindingsTable>): SipBinding => ({
  aor: r.aor,
  contact: r.contact,
  callId: r.call_id,
  cseq: r.cseq,
  expiresAt: r.expires_at,
  registeredAt: r.registered_at,
  ...(r.q === null ? {} : { q: r.q }),
  source: { protocol: r.source_protocol as SipTransportKind, address: r.source_address, port: r.source_port },
  ...(r.username === null ? {} : { username: r.username }),
  ...(r.instance === null ? {} : { instance: r.instance }),
  ...(r.user_agent === null ? {} : { userAgent: r.user_agent }),
});

const bindingRow = (aor: string, b: SipBinding, position: number): Selectable<SipBindingsTable> => ({
  aor,
  contact: b.contact,
  position,
  call_id: b.callId,
  cseq: b.cseq,
  expires_at: b.expiresAt,
  registered_at: b.registeredAt,
  q: b.q ?? null,
  source_protocol: b.source.protocol,
  source_address: b.source.address,
  source_port: b.source.port,
  username: b.username ?? null,
  instance: b.instance ?? null,
  user_agent: b.userAgent ?? null,
});

/**
 * `SipLocationStore` on SQLite or PostgreSQL: registrations survive a restart, and every node sharing the
 * database sees them. An AOR's set is replaced in one transaction, so a reader sees the old set or the new
 * one. Expired rows stay until the registrar removes them (its timers, and `resume` at start).
 */
export class SqlSipLocationStore implements SipLocationStore {
  constructor(private readonly db: Kysely<Database>) {}

  bindings(aor: string): Promise<readonly SipBinding[]> {
    return guard("read the SIP bindings", async () => {
      const rows = await this.db.selectFrom("sip_bindings").selectAll().where("aor", "=", aor).orderBy("position").execute();
      return rows.map(toBinding);
    });
  }

  replace(aor: string, bindings: readonly SipBinding[]): Promise<void> {
    return guard("replace the SIP bindings", async () => {
      await this.db.transaction().execute(async (trx) => {
        await trx.deleteFrom("sip_bindings").where("aor", "=", aor).execute();
        if (bindings.length > 0) {
          // Upsert: the registrar serializes one AOR's changes in its process, but two nodes may write one AOR
          // at once; then each contact is the last writer's, and neither write fails.
          await trx
            .insertInto("sip_bindings")
            .values(bindings.map((binding, position) => bindingRow(aor, binding, position)))
            .onConflict((oc) =>
              oc.columns(["aor", "contact"]).doUpdateSet((eb) => ({
                position: eb.ref("excluded.position"),
                call_id: eb.ref("excluded.call_id"),
                cseq: eb.ref("excluded.cseq"),
                expires_at: eb.ref("excluded.expires_at"),
                registered_at: eb.ref("excluded.registered_at"),
                q: eb.ref("excluded.q"),
                source_protocol: eb.ref("excluded.source_protocol"),
                source_address: eb.ref("excluded.source_address"),
                source_port: eb.ref("excluded.source_port"),
                username: eb.ref("excluded.username"),
                instance: eb.ref("excluded.instance"),
                user_agent: eb.ref("excluded.user_agent"),
              })),
            )
            .execute();
        }
      });
    });
  }

  addresses(): Promise<readonly string[]> {
    return guard("list the SIP addresses of record", async () => {
      const rows = await this.db.selectFrom("sip_bindings").select("aor").distinct().orderBy("aor").execute();
      return rows.map((r) => r.aor);
    });
  }
}
