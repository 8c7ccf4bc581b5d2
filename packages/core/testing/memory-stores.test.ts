import { createMemoryStores } from "./memory-stores.js";
import { storeContracts } from "./store-contracts.js";

storeContracts("memory", async () => createMemoryStores());
