import type { FrameSource } from "../media/frame-source.js";

/**
 * What a leg hears when its play queue is empty (the media session plays queued prompts first): while held,
 * the hold music or silence, never the bridge; otherwise what the bridge or conference it is connected to feeds.
 */
export class LegOutput implements FrameSource {
  held = false;
  music: FrameSource | undefined;
  feed: FrameSource | undefined;

  read(out: Int16Array, tick: number): boolean {
    if (this.held) return this.music?.read(out, tick) ?? false;
    return this.feed?.read(out, tick) ?? false;
  }
}
