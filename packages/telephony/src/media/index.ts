export * from "./media-session.js";
