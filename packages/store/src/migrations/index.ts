import type { Migration, MigrationProvider } from "kysely";
import { foundation } from "./0001-foundation.js";
import { conversations } from "./0002-conversations.js";
import { routing } from "./0003-routing.js";
import { telephony } from "./0004-telephony.js";
import { organizations } from "./0005-organizations.js";
import { flows } from "./0007-flows.js";
import { sipAccountsByUser } from "./0008-sip-accounts-by-user.js";
import { recordings } from "./0009-recordings.js";
import { sipRegistrations } from "./0010-sip-registrations.js";

/**
 * Every migration, in order, by name. Names sort in the order they run; a released migration
 * never changes: a new change is a new file.
 */
export const migrations: Readonly<Record<string, Migration>> = {
  "0001-foundation": foundation,
  "0002-conversations": conversations,
  "0003-routing": routing,
  "0004-telephony": telephony,
  "0005-organizations": organizations,
  "0007-flows": flows,
  "0008-sip-accounts-by-user": sipAccountsByUser,
  "0009-recordings": recordings,
  "0010-sip-registrations": sipRegistrations,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => ({ ...migrations }),
};
