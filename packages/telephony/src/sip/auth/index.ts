export * from "./digest-authenticator.js";
export * from "./digest-client.js";
export * from "./nonce.js";
export * from "./nonce-counts.js";
