import { describe, expect, it } from "vitest";
import { readScriptConfig } from "./script-config.js";

describe("readScriptConfig", () => {
  const page = "https://shop.example/products/bikes";

  it("takes the API's base URL from the script's own address", () => {
    expect(readScriptConfig("https://chat.example.com/widget.js", page, { entryPoint: "ep_1" })).toEqual({
      ok: true,
      config: { entryPointId: "ep_1", baseUrl: "https://chat.example.com", color: undefined },
    });
    expect(readScriptConfig("https://example.com/switchboard/widget.js?v=3", page, { entryPoint: "ep_1" })).toMatchObject({
      config: { baseUrl: "https://example.com/switchboard" },
    });
  });

  it("resolves a relative src against the page", () => {
    expect(readScriptConfig("/widget.js", page, { entryPoint: "ep_1" })).toMatchObject({
      config: { baseUrl: "https://shop.example" },
    });
  });

  it("needs an entry point id, and says so", () => {
    expect(readScriptConfig("/widget.js", page, {})).toMatchObject({ ok: false });
    expect(readScriptConfig("/widget.js", page, { entryPoint: "  " })).toMatchObject({ ok: false });
    expect(readScriptConfig("/widget.js", page, { entryPoint: "{{ENTRY_POINT_ID}}" })).toMatchObject({ ok: false });
  });

  it("accepts a hex theme colour and ignores anything else", () => {
    expect(readScriptConfig("/widget.js", page, { entryPoint: "ep", color: "#0A7" })).toMatchObject({
      config: { color: "#0A7" },
    });
    expect(readScriptConfig("/widget.js", page, { entryPoint: "ep", color: "red;}" })).toMatchObject({
      config: { color: undefined },
    });
  });
});
