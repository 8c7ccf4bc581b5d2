export * from "./audio-checks.js";
export * from "./fake-leg-call.js";
export * from "./media-test-server.js";
export * from "./memory-sip-network.js";
export * from "./sip-test-client.js";
export * from "./sipp.js";
export * from "./test-browser.js";
export * from "./test-prompt-renderer.js";
