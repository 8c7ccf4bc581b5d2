export * from "./offer-answer.js";
export * from "./session-description.js";
