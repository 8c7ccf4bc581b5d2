export * from "./audio-channel.js";
export * from "./frame-source.js";
export * from "./media-session.js";
export * from "./mixer/index.js";
export * from "./playout-buffer.js";
export * from "./rtp-audio-session.js";
