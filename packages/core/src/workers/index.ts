export * from "./memberships.js";
export * from "./model.js";
export * from "./ports.js";
