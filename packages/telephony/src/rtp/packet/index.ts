export * from "./rtp-packet.js";
