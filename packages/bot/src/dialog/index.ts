export * from "./decide.js";
export * from "./defaults.js";
export * from "./model.js";
export * from "./recognize.js";
export * from "./state.js";
export * from "./summary.js";
export * from "./texts.js";
