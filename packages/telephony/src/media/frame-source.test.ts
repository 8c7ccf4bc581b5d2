import { describe, expect, it } from "vitest";
import { FRAME_SAMPLES } from "../rtp/audio/audio.js";
import { LoopSource, PlayQueue } from "./frame-source.js";

const ramp = (start: number, length: number) => Int16Array.from({ length }, (_, i) => start + i);

describe("PlayQueue", () => {
  it("plays pieces back to back within a frame, pads the last frame, and settles each piece", async () => {
    const queue = new PlayQueue();
    const first = queue.enqueue(ramp(1, 100));
    const second = queue.enqueue(ramp(1001, 100));
    const out = new Int16Array(FRAME_SAMPLES);
    expect(queue.read(out)).toBe(true);
    expect(out[99]).toBe(100);
    expect(out[100]).toBe(1001);
    expect(await first.done).toBe("done");
    expect(queue.read(out)).toBe(true);
    expect(out[39]).toBe(1100);
    expect(out[40]).toBe(0);
    expect(await second.done).toBe("done");
    expect(queue.read(out)).toBe(false);
    expect(queue.playing).toBe(false);
  });

  it("cancels one piece or clears them all", async () => {
    const queue = new PlayQueue();
    const first = queue.enqueue(ramp(1, 400));
    const second = queue.enqueue(ramp(1001, 400));
    first.cancel();
    expect(await first.done).toBe("stopped");
    const out = new Int16Array(FRAME_SAMPLES);
    queue.read(out);
    expect(out[0]).toBe(1001);
    queue.clear();
    expect(await second.done).toBe("stopped");
    expect(await queue.enqueue(new Int16Array()).done).toBe("done");
  });
});

describe("LoopSource", () => {
  it("loops its audio across frames", () => {
    const loop = new LoopSource(ramp(0, 100));
    const out = new Int16Array(FRAME_SAMPLES);
    loop.read(out);
    expect([out[99], out[100], out[159]]).toEqual([99, 0, 59]);
    loop.read(out);
    expect([out[0], out[40], out[41]]).toEqual([60, 0, 1]);
    expect(new LoopSource(new Int16Array()).read(out)).toBe(false);
  });
});
