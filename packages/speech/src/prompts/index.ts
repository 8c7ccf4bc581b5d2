export * from "./digit-words.js";
export * from "./generated-audio.js";
export * from "./speech-prompt-renderer.js";
