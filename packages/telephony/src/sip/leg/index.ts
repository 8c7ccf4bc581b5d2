export * from "./incoming-leg.js";
export * from "./leg.js";
export * from "./model.js";
export * from "./outgoing-leg.js";
export * from "./outgoing-refer.js";
export * from "./refer-subscription.js";
export * from "./replaces.js";
export * from "./sipfrag.js";
