import {
  BIKE_SHOP_FAQ,
  BIKE_SHOP_SYNONYMS,
  DEFAULT_ANSWER_THRESHOLD,
  DEFAULT_INTENT_SETTINGS,
  DEFAULT_INTENTS,
  DEFAULT_SUGGEST_THRESHOLD,
} from "@switchboard/bot";
import * as core from "@switchboard/core";

/** The bot settings every tenant starts with (until it saves its own). */
export const defaultBotSettings: core.BotSettings = {
  synonyms: BIKE_SHOP_SYNONYMS.map((group) => [...group]),
  intents: DEFAULT_INTENTS.map((intent) => {
    const needs = DEFAULT_INTENT_SETTINGS[intent.name] ?? {};
    return {
      name: intent.name,
      examples: [...intent.examples],
      requiresAgent: needs.requiresAgent ?? false,
      needsVerification: needs.needsVerification ?? false,
      ...(needs.reply ? { reply: needs.reply } : {}),
    };
  }),
  answerThreshold: DEFAULT_ANSWER_THRESHOLD,
  suggestThreshold: DEFAULT_SUGGEST_THRESHOLD,
  maxMisunderstandings: 2,
};

export const DEMO_CUSTOMERS: readonly core.CustomerInput[] = [
  { name: "Ada Lovelace", email: "ada@example.com", phone: "+441632960001", externalId: "C-1001", attributes: { tier: "gold" } },
  {
    name: "Grace Hopper",
    email: "grace@example.com",
    phone: "+15555550102",
    externalId: "C-1002",
    attributes: { tier: "silver" },
  },
  { name: "Alan Turing", email: "alan@example.com", externalId: "C-1003" },
];

/**
 * The demo tenant's content on first start: the bot, the website's entry point (embedded by /demo),
 * the bike shop's knowledge base and a few customers to verify against.
 */
export async function seedDemoContent(
  deps: {
    conversation: core.ConversationDeps;
    customers: core.CustomerDeps;
    knowledge: core.KnowledgeDeps;
    queues: core.QueueDeps;
  },
  tenantId: string,
): Promise<core.EntryPoint> {
  await core.createQueue(deps.queues, tenantId, { name: "support" });
  const bot = await core.createIdentity(deps.conversation.identity, tenantId, {
    kind: "bot",
    displayName: "Northwind Assistant",
    externalId: "builtin-bot",
  });
  const entryPoint = await core.createEntryPoint(deps.conversation, tenantId, {
    name: "Northwind Bikes",
    botIdentityId: bot.id,
    greeting: "Hi! I'm the Northwind Bikes assistant. Ask me about orders, deliveries, returns or repairs.",
    handoffQueue: "support",
    // The demo page is served by this server, under whatever address it is opened with.
    allowedOrigins: ["*"],
  });
  for (const faq of BIKE_SHOP_FAQ) {
    await core.createFaq(deps.knowledge, tenantId, {
      question: faq.question,
      answer: faq.answer,
      alternatives: [...(faq.alternatives ?? [])],
    });
  }
  await core.importCustomers(deps.customers, tenantId, DEMO_CUSTOMERS);
  return entryPoint;
}

/** The demo number: the demo flow answers it (greeting, keys read back, `*` record, `0` the agent's phone). */
export const DEMO_NUMBER = "+15550100";
/** The demo agent's SIP phone login (shown in the README): extension 1001, where the demo flow's `0` rings. */
export const DEMO_PHONE = { username: "1001", extension: "1001", password: "northwind-1001" } as const;

/**
 * The demo tenant's telephony: the demo number and the demo agent's phone account. Idempotent, so a data
 * directory made before telephony existed gets them on its next start.
 */
export async function seedDemoTelephony(deps: core.TelephonyDeps, tenantId: string): Promise<void> {
  const system = core.systemPrincipal(tenantId);
  if (!(await deps.phoneNumbers.findByE164(DEMO_NUMBER))) {
    await core.createPhoneNumber(deps, system, { e164: DEMO_NUMBER, label: "Demo line", entry: { kind: "flow", flow: "demo" } });
  }
  if (!(await deps.sipAccounts.findByUsername(DEMO_PHONE.username))) {
    await core.createSipAccount(deps, system, {
      username: DEMO_PHONE.username,
      extension: DEMO_PHONE.extension,
      displayName: "Demo Agent",
      password: DEMO_PHONE.password,
    });
  }
}
