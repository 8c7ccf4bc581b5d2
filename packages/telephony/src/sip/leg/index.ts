export * from "./incoming-leg.js";
export * from "./leg.js";
export * from "./model.js";
export * from "./outgoing-leg.js";
