export * from "./registration.js";
