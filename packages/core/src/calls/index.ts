export * from "./connection.js";
export * from "./dialer.js";
export * from "./live-calls.js";
export * from "./media.js";
export * from "./recognition.js";
export * from "./record-ports.js";
export * from "./recording-library.js";
export * from "./records.js";
