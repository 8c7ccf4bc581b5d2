export * from "./media-clock.js";
