export * from "./caching-synthesizer.js";
