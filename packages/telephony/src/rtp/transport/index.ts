export * from "./rtp-transport.js";
