import type { Handoff, Message } from "@switchboard/protocol";
import { describe, expect, it } from "vitest";
import { speakerOf, transcriptItems } from "./transcript-items.js";

const ME = "idn_me";
const CUSTOMER = "idn_customer";
const BOT = "idn_bot";
const COLLEAGUE = "idn_colleague";

const message = (sequence: number, senderId: string, minute: number): Message => ({
  id: `msg_${sequence}`,
  sequence,
  senderId,
  senderDisplayName: senderId,
  content: `m${sequence}`,
  metadata: {},
  createdAt: `2025-06-01T12:${String(minute).padStart(2, "0")}:00.000Z`,
  editedAt: null,
  deletedAt: null,
  attachments: [],
  quickReplies: [],
  card: null,
});

const handoff: Handoff = {
  reason: "customer_request",
  intent: null,
  queue: "support",
  customer: { identityId: CUSTOMER, customerId: null, name: null, email: null, verified: false },
  summary: "",
  at: "2025-06-01T12:02:30.000Z",
};

describe("the transcript on the desk", () => {
  it("tells the customer, the agent, colleagues and the bot apart", () => {
    const known = { customerIdentityId: CUSTOMER, me: ME, agentIds: new Set([ME, COLLEAGUE]), handoffAt: undefined };
    expect(speakerOf(message(1, CUSTOMER, 0), known)).toBe("customer");
    expect(speakerOf(message(2, ME, 0), known)).toBe("me");
    expect(speakerOf(message(3, COLLEAGUE, 0), known)).toBe("agent");
    expect(speakerOf(message(4, BOT, 0), known)).toBe("bot");
    // Without the list of agents, the handoff draws the line.
    const unknown = { ...known, agentIds: undefined, handoffAt: handoff.at };
    expect(speakerOf(message(5, BOT, 1), unknown)).toBe("bot");
    expect(speakerOf(message(6, COLLEAGUE, 5), unknown)).toBe("agent");
  });

  it("puts the handoff between the bot's part and the people's, groups runs, and shows the receipt on my last message", () => {
    const messages = [
      message(1, BOT, 0),
      message(2, CUSTOMER, 1),
      message(3, BOT, 2),
      message(4, ME, 3),
      message(5, ME, 3),
      message(6, CUSTOMER, 4),
      message(7, ME, 20),
    ];
    const items = transcriptItems(messages, { customerIdentityId: CUSTOMER, handoff }, { me: ME, agentIds: new Set([ME]) }, 5);
    expect(
      items.map((i) =>
        i.kind === "divider" ? `-- ${i.text}` : `${i.speaker}${i.head ? "*" : ""}${i.receipt ? `(${i.receipt})` : ""}`,
      ),
    ).toEqual([
      "bot*",
      "customer*",
      "bot*",
      "-- Handed off to support · The customer asked for a person",
      "me*",
      "me",
      "customer*",
      // Fifteen minutes later: a new run; not read yet.
      "me*(sent)",
    ]);
    const read = transcriptItems(messages, { customerIdentityId: CUSTOMER, handoff }, { me: ME, agentIds: undefined }, 7);
    expect(read.at(-1)).toMatchObject({ kind: "message", receipt: "read" });
  });

  it("shows the handoff at the end while nobody has written since", () => {
    const items = transcriptItems(
      [message(1, BOT, 0)],
      { customerIdentityId: CUSTOMER, handoff },
      { me: ME, agentIds: undefined },
      0,
    );
    expect(items.map((i) => i.kind)).toEqual(["message", "divider"]);
    expect(transcriptItems([], { customerIdentityId: CUSTOMER, handoff: null }, { me: ME, agentIds: undefined }, 0)).toEqual([]);
  });
});
