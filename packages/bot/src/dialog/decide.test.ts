import { describe, expect, it } from "vitest";
import { BIKE_SHOP_FAQ, BIKE_SHOP_SYNONYMS } from "../demo/bike-shop.js";
import { FaqIndex } from "../faq/faq-index.js";
import { DEFAULT_INTENTS } from "../intent/default-intents.js";
import { IntentClassifier } from "../intent/intent-classifier.js";
import { decide } from "./decide.js";
import { DEFAULT_GREETING, DEFAULT_INTENT_SETTINGS } from "./defaults.js";
import type { BotAction, BotContext, BotInput, BotState, QuickReply } from "./model.js";
import { initialBotState, parseBotState } from "./state.js";
import {
  CANCEL,
  DEFAULT_GREETING_QUICK_REPLIES,
  SEND_NEW_CODE,
  SMALL_TALK_REPLIES,
  TALK_TO_A_PERSON,
  THAT_HELPED,
  texts,
} from "./texts.js";

const faq = new FaqIndex(BIKE_SHOP_FAQ, BIKE_SHOP_SYNONYMS);
const classifier = IntentClassifier.train(DEFAULT_INTENTS);
const context: BotContext = {
  faq,
  classifier,
  intents: DEFAULT_INTENT_SETTINGS,
  greeting: DEFAULT_GREETING,
  verified: false,
};

// Expected actions, spelled out.
const reply = (text: string, quickReplies?: readonly QuickReply[]): BotAction =>
  quickReplies ? { kind: "reply", text, quickReplies } : { kind: "reply", text };
const answer = (id: string): BotAction => reply(faq.get(id)?.answer ?? `no entry ${id}`, [THAT_HELPED, TALK_TO_A_PERSON]);
/** The intent the classifier gives this text, with its confidence. */
const intentOf = (text: string, intent: string): BotAction => {
  const result = classifier.classify(text);
  expect(result.intent, text).toBe(intent);
  return { kind: "set_intent", intent, confidence: result.confidence };
};
const handoff = (reason: string, intent: string | null, summary: string): BotAction =>
  ({ kind: "handoff", reason, intent, summary }) as BotAction;
const askEmail = reply(texts.askEmail, [CANCEL, TALK_TO_A_PERSON]);
const codeSent = reply(texts.codeSent("a***@example.com"), [SEND_NEW_CODE, TALK_TO_A_PERSON]);

type Step = readonly [input: BotInput | string, expected: readonly BotAction[]];

/**
 * Plays a conversation: each input (a string is a customer message) must produce exactly the expected
 * actions. Between steps the state goes through JSON, as the runtime stores it.
 */
function converse(steps: readonly Step[], ctx: BotContext = context, start: BotState = initialBotState()): BotState {
  let state = start;
  for (const [i, [input, expected]] of steps.entries()) {
    const botInput: BotInput = typeof input === "string" ? { kind: "customer_message", text: input } : input;
    const decision = decide(state, botInput, ctx);
    expect(decision.actions, `step ${i + 1}: ${JSON.stringify(botInput)}`).toEqual(expected);
    const stored = JSON.parse(JSON.stringify(decision.state)) as unknown;
    expect(stored).toEqual(decision.state);
    state = parseBotState(stored);
    expect(state).toEqual(decision.state);
  }
  return state;
}

describe("decide: greeting and FAQ", () => {
  it("greets with the tenant's greeting and quick replies", () => {
    converse([[{ kind: "conversation_started" }, [reply(DEFAULT_GREETING, DEFAULT_GREETING_QUICK_REPLIES)]]]);
    const own = [{ label: "Prices", value: "How much is a service?" }];
    converse([[{ kind: "conversation_started" }, [reply("Welcome!", own)]]], {
      ...context,
      greeting: "Welcome!",
      greetingQuickReplies: own,
    });
  });

  it("answers from the FAQ, paraphrases and typos included, and takes thanks", () => {
    const state = converse([
      [{ kind: "conversation_started" }, [reply(DEFAULT_GREETING, DEFAULT_GREETING_QUICK_REPLIES)]],
      ["Opening hours", [answer("opening-hours")]],
      ["When do you open on Saturday?", [answer("opening-hours")]],
      ["how long does delivry take", [answer("delivery-times")]],
      ["Is delivery free?", [answer("delivery-cost")]],
      ["That helped", [reply(texts.gladToHelp)]],
      ["thanks!", [reply(DEFAULT_INTENT_SETTINGS.thanks?.reply ?? "")]],
    ]);
    expect(state.step).toBe("idle");
    expect(state.misunderstandings).toBe(0);
    expect(state.intent).toBeNull();
  });

  it("offers the closest questions when unsure, and answers the one pressed", () => {
    const state = converse([
      [
        "how much does it cost",
        [
          reply(texts.suggest, [
            { label: "How much does shipping cost?", value: "How much does shipping cost?" },
            { label: "How much does a bike service cost?", value: "How much does a bike service cost?" },
            TALK_TO_A_PERSON,
          ]),
        ],
      ],
      ["How much does a bike service cost?", [answer("repair-cost")]],
    ]);
    expect(state.suggested).toEqual([]);
  });

  it("hands off after two misunderstandings in a row, then stays silent", () => {
    const state = converse([
      ["what is the meaning of life", [reply(texts.rephrase, [TALK_TO_A_PERSON])]],
      [
        "tell me a joke",
        [
          reply(texts.notUnderstood),
          handoff(
            "not_understood",
            null,
            'Customer (not verified). Intent: unknown. Handoff: the bot did not understand. Said: "what is the meaning of life" / "tell me a joke"',
          ),
        ],
      ],
      ["hello?", []],
      [{ kind: "conversation_started" }, []],
      [{ kind: "code_accepted", customerName: "Ada" }, []],
    ]);
    expect(state.step).toBe("handed_off");
  });

  it("counts misunderstandings in a row only, up to maxMisunderstandings", () => {
    converse([
      ["what is the meaning of life", [reply(texts.rephrase, [TALK_TO_A_PERSON])]],
      ["do you sell gift cards?", [answer("gift-cards")]],
      ["tell me a joke", [reply(texts.rephrase, [TALK_TO_A_PERSON])]],
    ]);
    const patient = { ...context, maxMisunderstandings: 3 };
    const state = converse(
      [
        ["asdfgh", [reply(texts.rephrase, [TALK_TO_A_PERSON])]],
        ["qwerty", [reply(texts.rephrase, [TALK_TO_A_PERSON])]],
        [
          "zxcvb",
          [
            reply(texts.notUnderstood),
            handoff(
              "not_understood",
              null,
              'Customer (not verified). Intent: unknown. Handoff: the bot did not understand. Said: "asdfgh" / "qwerty" / "zxcvb"',
            ),
          ],
        ],
      ],
      patient,
    );
    expect(state.step).toBe("handed_off");
  });

  it("answers small talk kindly without counting it as a misunderstanding or an intent", () => {
    const state = converse(
      [
        ["hi", [reply(SMALL_TALK_REPLIES.greeting ?? "")]],
        ["what is the meaning of life", [reply(texts.rephrase, [TALK_TO_A_PERSON])]],
        ["thank you", [reply(SMALL_TALK_REPLIES.thanks ?? "")]],
        ["bye", [reply(SMALL_TALK_REPLIES.goodbye ?? "")]],
        // An FAQ answer beats the small talk around it.
        ["hi, what are your opening hours?", [answer("opening-hours")]],
      ],
      { ...context, intents: {} },
    );
    expect(state.misunderstandings).toBe(0);
    expect(state.intent).toBeNull();
  });

  it("replies with an intent's own reply", () => {
    const ctx = {
      ...context,
      intents: { ...DEFAULT_INTENT_SETTINGS, returns: { reply: "Start your return at example.com/returns." } },
    };
    converse(
      [
        [
          "I want to return my helmet",
          [intentOf("I want to return my helmet", "returns"), reply("Start your return at example.com/returns.")],
        ],
      ],
      ctx,
    );
  });

  it("records an intent without settings and answers from the FAQ", () => {
    converse([["I want to return my helmet", [intentOf("I want to return my helmet", "returns"), answer("returns")]]]);
  });

  it("ignores empty messages", () => {
    converse([["   ", []]]);
  });
});

describe("decide: handoff", () => {
  it("hands off when the customer asks for a person, in any words", () => {
    for (const text of [
      "Talk to a person",
      "can I speak to a human please",
      "agent",
      "I want a real person",
      "get me an agent",
    ]) {
      converse([
        [
          text,
          [
            handoff(
              "customer_request",
              null,
              `Customer (not verified). Intent: unknown. Handoff: asked for a person. Said: "${text}"`,
            ),
          ],
        ],
      ]);
    }
  });

  it("hands off on the talk_to_human intent too", () => {
    const text = "I don't want to talk to a bot";
    expect(classifier.classify(text).intent).toBe("talk_to_human");
    converse([
      [
        text,
        [
          handoff(
            "customer_request",
            null,
            `Customer (not verified). Intent: unknown. Handoff: asked for a person. Said: "${text}"`,
          ),
        ],
      ],
    ]);
  });

  it("hands off an intent that requires an agent, with the intent", () => {
    const text = "your staff was rude to me and I'm angry";
    converse([
      [
        text,
        [
          intentOf(text, "complaint"),
          handoff(
            "intent_requires_agent",
            "complaint",
            `Customer (not verified). Intent: complaint. Handoff: needs an agent. Said: "${text}"`,
          ),
        ],
      ],
    ]);
  });

  it("carries the topic intent into a later handoff", () => {
    converse([
      ["I was charged twice", [intentOf("I was charged twice", "billing"), askEmail]],
      [
        "Talk to a person",
        [
          handoff(
            "customer_request",
            "billing",
            'Customer (not verified). Intent: billing. Handoff: asked for a person. Said: "I was charged twice" / "Talk to a person"',
          ),
        ],
      ],
    ]);
  });
});

describe("decide: verification", () => {
  const whereIsMyOrder = "Where is my order?";

  it("verifies before an order status request, then hands off to an agent", () => {
    const state = converse([
      [whereIsMyOrder, [intentOf(whereIsMyOrder, "order_status"), askEmail]],
      ["it's ada@example.com", [{ kind: "start_verification", email: "ada@example.com" }]],
      [{ kind: "verification_started", maskedEmail: "a***@example.com" }, [codeSent]],
      ["123 456", [{ kind: "check_code", code: "123456" }]],
      [
        { kind: "code_accepted", customerName: "Ada Lovelace" },
        [
          reply(texts.verified("Ada Lovelace")),
          handoff(
            "intent_requires_agent",
            "order_status",
            'Ada Lovelace (verified). Intent: order status. Handoff: needs an agent. Said: "Where is my order?"',
          ),
        ],
      ],
    ]);
    expect(state).toMatchObject({ step: "handed_off", verified: true, customerName: "Ada Lovelace", email: null });
    // The address and the code are not in the transcript.
    expect(state.transcript).toEqual([whereIsMyOrder]);
  });

  it("continues with the intent's reply when it needs no agent", () => {
    const ctx = {
      ...context,
      intents: { order_status: { needsVerification: true, reply: "Your order 10234 ships tomorrow." } },
    };
    const state = converse(
      [
        [whereIsMyOrder, [intentOf(whereIsMyOrder, "order_status"), askEmail]],
        ["ada@example.com", [{ kind: "start_verification", email: "ada@example.com" }]],
        [{ kind: "verification_started", maskedEmail: "a***@example.com" }, [codeSent]],
        ["my code is 123456", [{ kind: "check_code", code: "123456" }]],
        [
          { kind: "code_accepted", customerName: "Ada" },
          [reply(texts.verified("Ada")), reply("Your order 10234 ships tomorrow.")],
        ],
        // Verified now: no second verification.
        [whereIsMyOrder, [intentOf(whereIsMyOrder, "order_status"), reply("Your order 10234 ships tomorrow.")]],
      ],
      ctx,
    );
    expect(state).toMatchObject({ step: "idle", verified: true, pendingIntent: null });
  });

  it("tells the attempts left after a wrong code, and offers a person when locked", () => {
    const state = converse([
      [whereIsMyOrder, [intentOf(whereIsMyOrder, "order_status"), askEmail]],
      ["ada@example.com", [{ kind: "start_verification", email: "ada@example.com" }]],
      [{ kind: "verification_started", maskedEmail: "a***@example.com" }, [codeSent]],
      ["111111", [{ kind: "check_code", code: "111111" }]],
      [
        { kind: "code_rejected", attemptsLeft: 2 },
        [reply("That code isn't right. You have 2 attempts left.", [SEND_NEW_CODE, TALK_TO_A_PERSON])],
      ],
      ["222222", [{ kind: "check_code", code: "222222" }]],
      [
        { kind: "code_rejected", attemptsLeft: 1 },
        [reply("That code isn't right. You have 1 attempt left.", [SEND_NEW_CODE, TALK_TO_A_PERSON])],
      ],
      ["333333", [{ kind: "check_code", code: "333333" }]],
      [
        { kind: "code_locked", minutes: 15 },
        [
          reply(
            "That was too many wrong codes, so verification is locked for 15 minutes. A person can help you in the meantime.",
            [TALK_TO_A_PERSON],
          ),
        ],
      ],
      [
        "Talk to a person",
        [
          handoff(
            "customer_request",
            "order_status",
            'Customer (not verified). Intent: order status. Handoff: asked for a person. Said: "Where is my order?" / "Talk to a person"',
          ),
        ],
      ],
    ]);
    expect(state.verified).toBe(false);
  });

  it("asks again for an unknown email address, and lets the customer cancel", () => {
    const state = converse([
      [whereIsMyOrder, [intentOf(whereIsMyOrder, "order_status"), askEmail]],
      ["bob@example.com", [{ kind: "start_verification", email: "bob@example.com" }]],
      [{ kind: "verification_unknown_email" }, [reply(texts.unknownEmail, [TALK_TO_A_PERSON, CANCEL])]],
      ["Cancel", [reply(texts.verificationCancelled)]],
    ]);
    expect(state).toMatchObject({ step: "idle", pendingIntent: null, email: null });
  });

  it("sends a new code when the old one expired", () => {
    converse([
      [whereIsMyOrder, [intentOf(whereIsMyOrder, "order_status"), askEmail]],
      ["ada@example.com", [{ kind: "start_verification", email: "ada@example.com" }]],
      [{ kind: "verification_started", maskedEmail: "a***@example.com" }, [codeSent]],
      ["654321", [{ kind: "check_code", code: "654321" }]],
      [{ kind: "code_expired" }, [reply(texts.codeExpired, [SEND_NEW_CODE, TALK_TO_A_PERSON])]],
      ["Send a new code", [{ kind: "start_verification", email: "ada@example.com" }]],
      [{ kind: "verification_started", maskedEmail: "a***@example.com" }, [codeSent]],
      ["I didn't get the code", [{ kind: "start_verification", email: "ada@example.com" }]],
    ]);
  });

  it("re-asks for what it needs, answers FAQ questions on the way, and hands off after two misses", () => {
    converse([
      [whereIsMyOrder, [intentOf(whereIsMyOrder, "order_status"), askEmail]],
      [
        "what are your opening hours?",
        [reply(faq.get("opening-hours")?.answer ?? ""), reply(texts.stillNeedEmail, [CANCEL, TALK_TO_A_PERSON])],
      ],
      ["I don't remember", [reply(texts.notAnEmail, [CANCEL, TALK_TO_A_PERSON])]],
      [
        "hmm no idea",
        [
          reply(texts.notUnderstood),
          handoff(
            "not_understood",
            "order_status",
            'Customer (not verified). Intent: order status. Handoff: the bot did not understand. Said: "Where is my order?" / "what are your opening hours?" / "I don\'t remember" / "hmm no idea"',
          ),
        ],
      ],
    ]);
    converse([
      [whereIsMyOrder, [intentOf(whereIsMyOrder, "order_status"), askEmail]],
      ["ada@example.com", [{ kind: "start_verification", email: "ada@example.com" }]],
      [{ kind: "verification_started", maskedEmail: "a***@example.com" }, [codeSent]],
      ["where do I find it", [reply(texts.notACode("a***@example.com"), [SEND_NEW_CODE, TALK_TO_A_PERSON])]],
      // Another address instead of the code: start over with it.
      ["try ada.l@example.org", [{ kind: "start_verification", email: "ada.l@example.org" }]],
    ]);
  });

  it("verifies on request at any time", () => {
    const state = converse([
      ["verify me", [reply(texts.askEmailForVerification, [CANCEL, TALK_TO_A_PERSON])]],
      ["ada@example.com", [{ kind: "start_verification", email: "ada@example.com" }]],
      [{ kind: "verification_started", maskedEmail: "a***@example.com" }, [codeSent]],
      ["123456", [{ kind: "check_code", code: "123456" }]],
      [{ kind: "code_accepted", customerName: "Ada" }, [reply(texts.verified("Ada")), reply(texts.howCanIHelp)]],
      ["I want to log in", [reply(texts.alreadyVerified("Ada"))]],
      [
        "I was charged twice",
        [
          intentOf("I was charged twice", "billing"),
          handoff(
            "intent_requires_agent",
            "billing",
            'Ada (verified). Intent: billing. Handoff: needs an agent. Said: "verify me" / "I want to log in" / "I was charged twice"',
          ),
        ],
      ],
    ]);
    expect(state.step).toBe("handed_off");
  });

  it("skips verification for a customer the context already knows", () => {
    const known = { ...context, verified: true, customerName: "Grace" };
    converse(
      [
        [
          whereIsMyOrder,
          [
            intentOf(whereIsMyOrder, "order_status"),
            handoff(
              "intent_requires_agent",
              "order_status",
              'Grace (verified). Intent: order status. Handoff: needs an agent. Said: "Where is my order?"',
            ),
          ],
        ],
      ],
      known,
    );
    converse([["log in", [reply(texts.alreadyVerified("Grace"))]]], known);
  });
});

describe("decide: state", () => {
  it("keeps a bounded transcript: the first message and the latest ones", () => {
    const ctx = { ...context, maxMisunderstandings: 100 };
    let state = initialBotState();
    for (let i = 1; i <= 10; i++) state = decide(state, { kind: "customer_message", text: `blorp ${i}` }, ctx).state;
    expect(state.transcript).toEqual(["blorp 1", "blorp 6", "blorp 7", "blorp 8", "blorp 9", "blorp 10"]);
    const long = decide(state, { kind: "customer_message", text: "word ".repeat(100) }, ctx).state;
    expect(long.transcript.at(-1)?.length).toBeLessThanOrEqual(160);
  });

  it("round-trips through JSON and reads back anything stored", () => {
    const state = converse([
      ["Where is my order?", [intentOf("Where is my order?", "order_status"), askEmail]],
      ["ada@example.com", [{ kind: "start_verification", email: "ada@example.com" }]],
    ]);
    expect(parseBotState(JSON.parse(JSON.stringify(state)))).toEqual(state);
    expect(state).toEqual({
      version: 1,
      step: "awaiting_email",
      misunderstandings: 0,
      pendingIntent: "order_status",
      intent: "order_status",
      verified: false,
      customerName: null,
      email: "ada@example.com",
      maskedEmail: null,
      suggested: [],
      transcript: ["Where is my order?"],
    });
    expect(parseBotState(undefined)).toEqual(initialBotState());
    expect(parseBotState("nonsense")).toEqual(initialBotState());
    expect(parseBotState({ step: "flying", misunderstandings: -1, transcript: ["a", 2], verified: "yes" })).toEqual({
      ...initialBotState(),
      transcript: ["a"],
    });
  });
});
