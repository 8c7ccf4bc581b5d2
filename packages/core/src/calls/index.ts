export * from "./dialer.js";
export * from "./media.js";
