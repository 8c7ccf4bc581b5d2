import { chatStoreContract } from "./chat-store.contract.js";
import { identityStoreContract } from "./identity-store.contract.js";
import { MemoryChatStore } from "./memory-chat-store.js";
import { MemoryIdentityStore } from "./memory-identity-store.js";

identityStoreContract("memory", async () => ({ identities: new MemoryIdentityStore(), close: async () => {} }));

chatStoreContract("memory", async () => ({
  identities: new MemoryIdentityStore(),
  chat: new MemoryChatStore(),
  close: async () => {},
}));
