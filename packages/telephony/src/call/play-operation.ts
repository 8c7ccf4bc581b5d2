import type { Key, PlayOutcome, Prompt } from "@switchboard/core";
import type { PlayHandle, PlayResult } from "../media/frame-source.js";
import { type Halt, Operation, type OperationHost } from "./operation.js";

/**
 * Plays prompts in order. All are sent to the renderer at once (text-to-speech of the second runs while the
 * first plays) and each is queued as soon as it and those before it are ready. A key among `interruptKeys`
 * stops the playback and stays buffered for the next `collect`; other keys are buffered as they come.
 */
export class PlayOperation extends Operation<PlayOutcome> {
  private readonly handles: PlayHandle[] = [];

  constructor(
    host: OperationHost,
    private readonly prompts: readonly Prompt[],
    private readonly interruptKeys: string,
  ) {
    super(host);
  }

  start(): void {
    this.run().catch((error: unknown) => this.fail(error));
  }

  halt(reason: Halt): void {
    this.finish({ ended: reason });
  }

  override key(key: Key): boolean {
    if (!this.interruptKeys.includes(key)) return false;
    this.host.keys.push(key);
    this.finish({ ended: "interrupted", key });
    return true;
  }

  protected override cleanup(): void {
    for (const handle of this.handles) handle.cancel();
  }

  private finish(outcome: PlayOutcome): void {
    if (this.end()) this.settle(outcome, { type: "play.ended", legId: this.host.legId, outcome });
  }

  private async run(): Promise<void> {
    const renders = this.prompts.map((prompt) => this.host.renderer.render(prompt));
    // Rejections are handled in order below; these handlers only keep a later one from going unobserved.
    for (const render of renders) render.catch(() => undefined);
    let last: Promise<PlayResult> | undefined;
    for (const render of renders) {
      const audio = await render;
      if (this.over) return;
      const handle = this.host.player.enqueue(audio);
      this.handles.push(handle);
      last = handle.done;
    }
    const result = last === undefined ? "done" : await last;
    this.finish(result === "done" ? { ended: "finished" } : { ended: "stopped" });
  }
}
