export * from "./dtls-close.js";
export * from "./webrtc-leg.js";
export * from "./webrtc-transport.js";
