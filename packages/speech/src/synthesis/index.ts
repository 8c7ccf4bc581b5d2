export * from "./espeak-synthesizer.js";
export * from "./process-runner.js";
export * from "./silence-margins.js";
export * from "./speech-synthesizer.js";
