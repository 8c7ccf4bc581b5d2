export * from "./dtls-close.js";
export * from "./web-phones.js";
export * from "./webrtc-leg.js";
export * from "./webrtc-transport.js";
