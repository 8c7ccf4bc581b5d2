import { describe, expect, it } from "vitest";
import { statusLine } from "./status.js";

describe("statusLine", () => {
  const open = { open: true };

  it("names the bot, the queue position, the agent and the end", () => {
    expect(statusLine({ status: "bot", queuePosition: null }, open)).toEqual({ text: "Bot", tone: "online" });
    expect(statusLine({ status: "awaiting_agent", queuePosition: 3 }, open)).toEqual({
      text: "Connecting you to an agent · you're number 3",
      tone: "waiting",
    });
    expect(statusLine({ status: "awaiting_agent", queuePosition: null }, open).text).toBe("Connecting you to an agent");
    expect(statusLine({ status: "with_agent", queuePosition: null }, { ...open, agentName: "Sam" }).text).toBe("Sam · Agent");
    expect(statusLine({ status: "with_agent", queuePosition: null }, open).text).toBe("Agent");
    expect(statusLine({ status: "resolved", queuePosition: null }, open)).toEqual({ text: "Chat ended", tone: "offline" });
  });

  it("says when nobody is there to take the chat after hours", () => {
    expect(statusLine({ status: "awaiting_agent", queuePosition: 2 }, { open: false })).toEqual({
      text: "Closed now · an agent will reply when we're back (you're number 2)",
      tone: "offline",
    });
  });
});
