export * from "./jitter-buffer.js";
