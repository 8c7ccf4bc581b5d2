import type * as core from "@switchboard/core";
import * as wire from "@switchboard/protocol";
import { serializerCompiler } from "fastify-type-provider-zod";
import { describe, expect, it } from "vitest";
import { messageView } from "./views.js";

const message = (extras: Partial<core.Message> = {}): core.Message => ({
  id: "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
  threadId: "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c",
  sequence: 7,
  senderId: "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5d",
  senderDisplayName: "Ada",
  content: "Your order ships today",
  metadata: { order: "1234", channel: "web" },
  createdAt: new Date("2026-05-01T09:00:00.000Z"),
  editedAt: null,
  deletedAt: null,
  attachments: [],
  quickReplies: [],
  card: null,
  ...extras,
});

describe("messageView", () => {
  // The send route writes the view as JSON text without the response serializer: it must be what the serializer writes.
  it.each([
    ["a plain message", message()],
    [
      "a message with every extra",
      message({
        editedAt: new Date("2026-05-01T09:00:05.000Z"),
        attachments: [
          { id: "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a60", fileName: "label.pdf", contentType: "application/pdf", size: 2048 },
        ],
        quickReplies: [
          { label: "Yes", value: "yes" },
          { label: "No", value: "no" },
        ],
        card: {
          title: "Track it",
          text: "Follow your parcel",
          imageUrl: "https://example.com/parcel.png",
          buttons: [
            { label: "Track", url: "https://example.com/track" },
            { label: "Thanks", value: "thanks" },
          ],
        },
      }),
    ],
    ["a deleted message", message({ content: "", metadata: {}, deletedAt: new Date("2026-05-01T09:01:00.000Z") })],
  ])("is exactly what the response serializer writes for %s", (_name, m) => {
    const serialize = serializerCompiler({ schema: wire.Message, method: "POST", url: "/v1/chat/threads/:threadId/messages" });
    const view = messageView(m);
    expect(JSON.stringify(view)).toBe(serialize(view));
  });
});
