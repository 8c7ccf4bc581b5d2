export { StoreError } from "./errors.js";
export { migrations } from "./migrations/index.js";
export { type Dialect, isPostgresUrl, type OpenStoreOptions, openStore, type Store, type StoreLogger } from "./open-store.js";
export type { Database } from "./schema.js";
export { SqlChatStore } from "./sql-chat-store.js";
export { SqlIdentityStore } from "./sql-identity-store.js";
export { type SecretStore, SqlSecretStore } from "./sql-secret-store.js";
