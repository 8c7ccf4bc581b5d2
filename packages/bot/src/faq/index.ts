export * from "./analyzer.js";
export * from "./faq-index.js";
export * from "./model.js";
