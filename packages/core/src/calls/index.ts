export * from "./connect.js";
export * from "./dialer.js";
export * from "./media.js";
export * from "./recognition.js";
export * from "./record-ports.js";
export * from "./records.js";
