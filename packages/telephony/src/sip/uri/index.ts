export * from "./uri.js";
export * from "./uri-equals.js";
