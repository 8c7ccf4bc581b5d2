export * from "./audio.js";
