import type { ConversationEvent } from "@switchboard/protocol";
import { describe, expect, it } from "vitest";
import { latestTransferNote } from "./transfer-note.js";

const event = (sequence: number, type: string, data: Record<string, unknown> = {}): ConversationEvent => ({
  type,
  sequence,
  createdAt: `2025-06-01T12:0${sequence}:00.000Z`,
  data,
});

describe("the transfer note", () => {
  it("is the last transfer's note, and nothing when that transfer had none", () => {
    const transferred = (sequence: number, note: string | null) =>
      event(sequence, "conversation.transferred", { to: { kind: "worker", id: "w", name: "Alan" }, note });
    expect(latestTransferNote([event(1, "conversation.created"), transferred(2, " Wants a refund ")])).toEqual({
      note: "Wants a refund",
      at: "2025-06-01T12:02:00.000Z",
    });
    expect(latestTransferNote([transferred(1, "first"), transferred(2, null)])).toBeUndefined();
    expect(latestTransferNote([event(1, "conversation.created")])).toBeUndefined();
  });
});
