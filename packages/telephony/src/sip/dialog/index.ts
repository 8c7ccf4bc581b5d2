export * from "./destination.js";
export * from "./dialog.js";
export * from "./ids.js";
