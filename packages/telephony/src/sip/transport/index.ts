export * from "./transport.js";
export * from "./via-processing.js";
