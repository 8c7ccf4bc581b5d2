export * from "./mixer-port.js";
export * from "./rtp-bridge.js";
export * from "./rtp-conference.js";
export * from "./rtp-media-mixer.js";
