export * from "./clock.js";
export * from "./domain-error.js";
export * from "./ids.js";
export * from "./local-time.js";
