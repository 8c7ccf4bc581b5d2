import type { Conversation } from "@switchboard/protocol";

export interface StatusLine {
  readonly text: string;
  /** The dot beside it: someone answers now, the customer waits, or nobody is there. */
  readonly tone: "online" | "waiting" | "offline";
}

/** The header's status line for a conversation: who the customer is talking to, or their place in the queue. */
export function statusLine(
  conversation: Pick<Conversation, "status" | "queuePosition">,
  context: { readonly agentName?: string | undefined; readonly open: boolean },
): StatusLine {
  switch (conversation.status) {
    case "bot":
      return { text: "Bot", tone: "online" };
    case "awaiting_agent": {
      const position = conversation.queuePosition;
      const place = position === null || position < 1 ? "" : ` · you're number ${position}`;
      return context.open
        ? { text: `Connecting you to an agent${place}`, tone: "waiting" }
        : {
            text: `Closed now · an agent will reply when we're back${place ? ` (you're number ${position})` : ""}`,
            tone: "offline",
          };
    }
    case "follow_up":
      return { text: "Leave a message · we'll get back to you here", tone: "offline" };
    case "with_agent":
      return { text: context.agentName ? `${context.agentName} · Agent` : "Agent", tone: "online" };
    case "resolved":
      return { text: "Chat ended", tone: "offline" };
  }
}
