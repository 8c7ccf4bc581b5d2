export * from "./default-intents.js";
export * from "./features.js";
export * from "./intent-classifier.js";
export * from "./model.js";
