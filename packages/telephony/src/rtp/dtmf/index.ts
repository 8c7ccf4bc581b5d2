export * from "./digits.js";
export * from "./goertzel-detector.js";
export * from "./telephone-event.js";
export * from "./tones.js";
