import type { Kysely } from "kysely";
import { guard } from "./errors.js";
import type { Database } from "./schema.js";

/** Deployment-wide secrets (such as the token signing key) that the server generates once and keeps. */
export interface SecretStore {
  /** The stored value of `name`; on first use, `create()`'s value, stored. Concurrent first uses agree. */
  getOrCreate(name: string, create: () => string): Promise<string>;
}

export class SqlSecretStore implements SecretStore {
  constructor(private readonly db: Kysely<Database>) {}

  getOrCreate(name: string, create: () => string): Promise<string> {
    return guard("read the setting", async () => {
      const existing = await this.read(name);
      if (existing !== undefined) return existing;
      // Whoever inserts first wins; everyone then reads the winner's value.
      await this.db
        .insertInto("settings")
        .values({ name, value: create() })
        .onConflict((oc) => oc.column("name").doNothing())
        .execute();
      const value = await this.read(name);
      if (value === undefined) throw new Error(`The setting ${name} vanished right after it was stored.`);
      return value;
    });
  }

  private async read(name: string): Promise<string | undefined> {
    const row = await this.db.selectFrom("settings").select("value").where("name", "=", name).executeTakeFirst();
    return row?.value;
  }
}
