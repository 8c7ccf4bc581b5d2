export * from "./prompts/index.js";
export * from "./recognition/index.js";
export * from "./resampling/index.js";
export * from "./synthesis/index.js";
export * from "./synthesis-cache/index.js";
export * from "./wav/index.js";
