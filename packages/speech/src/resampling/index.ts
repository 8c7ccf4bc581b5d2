export * from "./resampler.js";
export * from "./telephone-audio.js";
