export * from "./customers.js";
export * from "./model.js";
export * from "./ports.js";
