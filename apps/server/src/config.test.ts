import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, webrtcAddressOf } from "./config.js";

describe("the browser call (WebRTC) settings", () => {
  it("reads STUN and TURN servers as an RTCIceServer list, ports as a range, announced addresses as a list", () => {
    const config = loadConfig({
      SWITCHBOARD_WEBRTC_ICE_SERVERS:
        '[{"urls":"stun:stun.example.com:3478"},{"urls":["turn:turn.example.com:3478"],"username":"sb","credential":"s3"}]',
      SWITCHBOARD_WEBRTC_PORTS: "40000-40999",
      SWITCHBOARD_WEBRTC_ANNOUNCED_ADDRESSES: "203.0.113.7, 198.51.100.2",
      SWITCHBOARD_WEBRTC_ADDRESS: "10.0.0.5",
    });
    expect(config.webrtcIceServers).toEqual([
      { urls: "stun:stun.example.com:3478" },
      { urls: ["turn:turn.example.com:3478"], username: "sb", credential: "s3" },
    ]);
    expect(config.webrtcPorts).toEqual([40000, 40999]);
    expect(config.webrtcAnnouncedAddresses).toEqual(["203.0.113.7", "198.51.100.2"]);
    expect(webrtcAddressOf(config)).toBe("10.0.0.5");
  });

  it("defaults to no ICE servers, any port, and an address of the machine's", () => {
    const config = loadConfig({});
    expect(config.webrtcIceServers).toEqual([]);
    expect(config.webrtcPorts).toBeUndefined();
    expect(webrtcAddressOf(config)).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  });

  it("names the variable when the ICE servers are not a list of STUN or TURN URLs", () => {
    expect(() => loadConfig({ SWITCHBOARD_WEBRTC_ICE_SERVERS: '[{"urls":"http://example.com"}]' })).toThrow(ConfigError);
    expect(() => loadConfig({ SWITCHBOARD_WEBRTC_ICE_SERVERS: "not json" })).toThrow(/SWITCHBOARD_WEBRTC_ICE_SERVERS/);
  });
});
