import { describe, expect, it } from "vitest";
import { spawnProcess } from "./process-runner.js";

const options = { input: new Uint8Array(0), timeoutMs: 5_000, maxOutputBytes: 1_000_000 };

describe("spawnProcess", () => {
  it("feeds standard input and collects standard output, without a shell", async () => {
    const input = new TextEncoder().encode("$(echo no) `echo no`; echo no");
    const result = await spawnProcess("cat", [], { ...options, input });
    expect(result.exitCode).toBe(0);
    expect(new TextDecoder().decode(result.stdout)).toBe("$(echo no) `echo no`; echo no");
  });

  it("reports the exit status and stderr", async () => {
    const result = await spawnProcess("ls", ["/no/such/path"], options);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain("/no/such/path");
  });

  it("rejects with ENOENT when the program is missing", async () => {
    await expect(spawnProcess("/no/such/program", [], options)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("kills a program that runs too long or writes too much", async () => {
    await expect(spawnProcess("sleep", ["10"], { ...options, timeoutMs: 100 })).rejects.toThrow(/did not finish within 100 ms/);
    await expect(spawnProcess("cat", ["/dev/zero"], { ...options, maxOutputBytes: 10_000 })).rejects.toThrow(
      /more than 10000 bytes/,
    );
  });
});
