export * from "./cidr.js";
export * from "./deps.js";
export * from "./model.js";
export * from "./phone-numbers.js";
export * from "./ports.js";
export * from "./sip-accounts.js";
export * from "./trunks.js";
