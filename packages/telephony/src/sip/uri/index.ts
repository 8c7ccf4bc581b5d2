export * from "./uri.js";
