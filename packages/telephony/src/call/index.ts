export * from "./call.js";
