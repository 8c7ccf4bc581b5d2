export * from "./call/index.js";
export * from "./dialer/index.js";
export * from "./media/index.js";
export * from "./rtp/index.js";
export * from "./scheduler/index.js";
export * from "./sdp/index.js";
export * from "./sip/index.js";
export * from "./webrtc/index.js";
