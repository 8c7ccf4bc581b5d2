import { describe, expect, it } from "vitest";
import { checkFile, contentTypeOf, describeTypes } from "./limits.js";

const limits = {
  attachmentMaxBytes: 5 * 1024 * 1024,
  attachmentTypes: ["image/png", "image/jpeg", "application/pdf"],
  messageMaxLength: 2000,
};

describe("checkFile", () => {
  it("accepts an allowed type within the size limit", () => {
    expect(checkFile({ name: "bike.png", type: "image/png", size: 1000 }, limits)).toEqual({
      ok: true,
      contentType: "image/png",
    });
    expect(checkFile({ name: "max.pdf", type: "application/pdf", size: limits.attachmentMaxBytes }, limits).ok).toBe(true);
  });

  it("refuses a file that is too large, saying both sizes", () => {
    const check = checkFile({ name: "video.jpg", type: "image/jpeg", size: 12 * 1024 * 1024 }, limits);
    expect(check).toEqual({
      ok: false,
      reason: "too_large",
      message: "“video.jpg” is 12 MB; files can be up to 5 MB.",
    });
  });

  it("refuses other types, naming the accepted ones", () => {
    const check = checkFile({ name: "setup.exe", type: "application/x-msdownload", size: 10 }, limits);
    expect(check.ok).toBe(false);
    expect(check.ok ? "" : check.message).toBe("“setup.exe” can't be sent: only PNG, JPEG or PDF files are accepted.");
  });

  it("refuses an empty file", () => {
    expect(checkFile({ name: "a.png", type: "image/png", size: 0 }, limits)).toMatchObject({ ok: false, reason: "empty" });
  });

  it("falls back to the extension when the browser gives no type", () => {
    expect(checkFile({ name: "Invoice.PDF", type: "", size: 10 }, limits)).toEqual({ ok: true, contentType: "application/pdf" });
    expect(contentTypeOf({ name: "noext", type: "" })).toBe("application/octet-stream");
    expect(contentTypeOf({ name: "a.png", type: "IMAGE/PNG" })).toBe("image/png");
  });
});

describe("describeTypes", () => {
  it("lists subtypes in capitals, without repeats", () => {
    expect(describeTypes(["image/png"])).toBe("PNG");
    expect(describeTypes(["image/png", "application/pdf"])).toBe("PNG or PDF");
    expect(describeTypes([])).toBe("");
  });
});
