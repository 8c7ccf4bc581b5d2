export * from "./edit-distance.js";
export * from "./normalize.js";
export * from "./stem.js";
export * from "./stopwords.js";
