export * from "./demo-flow.js";
