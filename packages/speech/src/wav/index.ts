export * from "./decode-wav.js";
export * from "./encode-wav.js";
