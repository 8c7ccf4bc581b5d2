import {
  notFound,
  type Page,
  type Recording,
  type RecordingCatalog,
  type RecordingFilter,
  type RecordingKind,
} from "@switchboard/core";
import type { Kysely, Selectable } from "kysely";
import { guard, isForeignKeyViolation } from "./errors.js";
import { decodeCursor, pageFrom, pageLimit } from "./paging.js";
import type { Database, RecordingsTable } from "./schema.js";

const toRecording = (r: Selectable<RecordingsTable>): Recording => ({
  id: r.id,
  tenantId: r.tenant_id,
  kind: r.kind as RecordingKind,
  ...(r.call_id !== null ? { callId: r.call_id } : {}),
  durationMs: r.duration_ms,
  createdAt: new Date(r.created_at),
});

/** `RecordingCatalog` on SQLite or PostgreSQL: the `recordings` rows and each tenant's retention. */
export class SqlRecordingCatalog implements RecordingCatalog {
  constructor(private readonly db: Kysely<Database>) {}

  addRecording(recording: Recording): Promise<Recording> {
    return guard("add a recording", async () => {
      try {
        await this.db
          .insertInto("recordings")
          .values({
            id: recording.id,
            tenant_id: recording.tenantId,
            kind: recording.kind,
            call_id: recording.callId ?? null,
            duration_ms: recording.durationMs,
            created_at: recording.createdAt.toISOString(),
          })
          .execute();
      } catch (error) {
        throw isForeignKeyViolation(error) ? notFound("tenant", recording.tenantId) : error;
      }
      return recording;
    });
  }

  getRecording(tenantId: string, id: string): Promise<Recording | undefined> {
    return guard("read a recording", async () => {
      const row = await this.db
        .selectFrom("recordings")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .where("id", "=", id)
        .executeTakeFirst();
      return row ? toRecording(row) : undefined;
    });
  }

  listRecordings(
    tenantId: string,
    filter: RecordingFilter,
    options: { after?: string; limit: number },
  ): Promise<Page<Recording>> {
    return guard("list recordings", async () => {
      const limit = pageLimit(options.limit);
      let query = this.db.selectFrom("recordings").selectAll().where("tenant_id", "=", tenantId);
      if (filter.kind !== undefined) query = query.where("kind", "=", filter.kind);
      if (filter.callId !== undefined) query = query.where("call_id", "=", filter.callId);
      if (filter.before !== undefined) query = query.where("created_at", "<", filter.before.toISOString());
      if (options.after !== undefined) {
        const after = decodeCursor(options.after);
        query = query.where((eb) =>
          eb.or([
            eb("created_at", "<", after.createdAt),
            eb.and([eb("created_at", "=", after.createdAt), eb("id", "<", after.id)]),
          ]),
        );
      }
      const rows = await query
        .orderBy("created_at", "desc")
        .orderBy("id", "desc")
        .limit(limit + 1)
        .execute();
      return pageFrom(rows, limit, toRecording);
    });
  }

  deleteRecording(tenantId: string, id: string): Promise<boolean> {
    return guard("delete a recording", async () => {
      const result = await this.db
        .deleteFrom("recordings")
        .where("tenant_id", "=", tenantId)
        .where("id", "=", id)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    });
  }

  getRetention(tenantId: string): Promise<number | null> {
    return guard("read the recording retention", async () => {
      const row = await this.db
        .selectFrom("recording_retentions")
        .select("days")
        .where("tenant_id", "=", tenantId)
        .executeTakeFirst();
      return row?.days ?? null;
    });
  }

  setRetention(tenantId: string, days: number | null): Promise<void> {
    return guard("set the recording retention", async () => {
      if (days === null) {
        await this.db.deleteFrom("recording_retentions").where("tenant_id", "=", tenantId).execute();
        return;
      }
      try {
        await this.db
          .insertInto("recording_retentions")
          .values({ tenant_id: tenantId, days })
          .onConflict((oc) => oc.column("tenant_id").doUpdateSet({ days }))
          .execute();
      } catch (error) {
        throw isForeignKeyViolation(error) ? notFound("tenant", tenantId) : error;
      }
    });
  }

  listRetentions(): Promise<readonly { readonly tenantId: string; readonly days: number }[]> {
    return guard("list recording retentions", async () => {
      const rows = await this.db.selectFrom("recording_retentions").selectAll().orderBy("tenant_id").execute();
      return rows.map((r) => ({ tenantId: r.tenant_id, days: r.days }));
    });
  }
}
