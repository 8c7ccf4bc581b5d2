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
      displayName: "Ana Lopez",
      password: DEMO_PHONE.password,
    });
  }
}

/** The demo call center's number: an auto attendant answers it around the clock (see `seedDemoCallCenter`). */
export const DEMO_ATTENDANT_NUMBER = "+15550101";

/**
 * The demo agents who answer the call queues on SIP phones (shown in the README): a console login (agent
 * role), a SIP account, a personal mailbox with a PIN for the voicemail menu.
 */
export const DEMO_AGENTS = [
  {
    displayName: "Ana Lopez",
    email: "ana@demo.example",
    password: "northwind-agent",
    sip: DEMO_PHONE,
    pin: "1234",
  },
  {
    displayName: "Ben Carter",
    email: "ben@demo.example",
    password: "northwind-agent",
    sip: { username: "1002", extension: "1002", password: "northwind-1002" },
    pin: "1234",
  },
] as const;

const speech = (text: string) => ({ kind: "speech", text }) as const;

/**
 * The demo call center behind `+15550101`: an auto attendant (business hours around the clock) whose `1`
 * is the Sales line queue, `2` the Support line queue, `0` the operator (Ana's phone, then her
 * voicemail), `9` dial by name, `*` the voicemail menu; the two demo agents, available for calls only
 * (their chats stay with the admin), and a shared mailbox that takes the calls nobody can. Idempotent:
 * nothing is done once the number exists.
 */
export async function seedDemoCallCenter(
  deps: {
    identity: core.IdentityDeps;
    telephony: core.TelephonyDeps;
    queues: core.QueueDeps;
    flows: core.FlowDeps;
    routing: {
      updateWorker(tenantId: string, identityId: string, settings: core.WorkerSettings): Promise<unknown>;
      setPresence(tenantId: string, identityId: string, presence: core.ChosenPresence): Promise<unknown>;
    };
  },
  tenantId: string,
): Promise<void> {
  if (await deps.telephony.phoneNumbers.findByE164(DEMO_ATTENDANT_NUMBER)) return;
  const system = core.systemPrincipal(tenantId);
  const general = await core.createMailbox(deps.flows, system, {
    name: "Northwind general",
    greeting: speech("You have reached Northwind Bikes. Please leave your name, number and message after the tone."),
  });
  const voicemail = { kind: "voicemail", mailboxId: general.id } as const;
  const line = (name: string, greeting: string) =>
    core.createQueue(deps.queues, tenantId, {
      name,
      timeout: { seconds: 180, target: voicemail },
      noAgents: { when: "none_available", target: voicemail },
      call: { ...core.defaultCallQueueSettings(), greeting: speech(greeting), announceEverySeconds: 30 },
    });
  const sales = await line("Sales line", "Thank you for calling Northwind sales. An agent will be with you shortly.");
  const support = await line("Support line", "Thank you for calling Northwind support. An agent will be with you shortly.");
  for (const agent of DEMO_AGENTS) {
    const user = await core.createUser(deps.identity, tenantId, {
      email: agent.email,
      displayName: agent.displayName,
      role: "agent",
      password: agent.password,
    });
    const account = await deps.telephony.sipAccounts.findByUsername(agent.sip.username);
    if (account) {
      await core.updateSipAccount(deps.telephony, system, account.id, { userId: user.id, displayName: agent.displayName });
    } else {
      await core.createSipAccount(deps.telephony, system, { ...agent.sip, displayName: agent.displayName, userId: user.id });
    }
    await core.createMailbox(deps.flows, system, { name: agent.displayName, ownerUserId: user.id, pin: agent.pin });
    // Members of the two lines only (the chat queues stay the admin's): one call at a time.
    await deps.routing.updateWorker(tenantId, user.identityId, {
      ...core.defaultWorkerSettings,
      capacity: 1,
      channelCosts: { chat: 1, voice: 1 },
      queueIds: [sales.id, support.id],
    });
    await deps.routing.setPresence(tenantId, user.identityId, "available");
  }
  const attendant = await core.createAutoAttendant(deps.flows, system, {
    name: "Northwind main line",
    businessHours: {
      greeting: speech("Thank you for calling Northwind Bikes."),
      menu: {
        prompt: speech(
          "For sales, press 1 or say sales. For support, press 2 or say support. To reach someone by name, press 9. " +
            "For your voicemail, press star. For the operator, press 0.",
        ),
        options: [
          { key: "1", phrases: ["sales"], action: { kind: "redirect", target: { kind: "queue", queueId: sales.id } } },
          { key: "2", phrases: ["support"], action: { kind: "redirect", target: { kind: "queue", queueId: support.id } } },
          { key: "9", phrases: [], action: { kind: "dial_by_name" } },
          { key: "*", phrases: [], action: { kind: "voicemail_login" } },
          { key: "0", phrases: ["operator"], action: { kind: "operator" } },
        ],
      },
      target: null,
    },
    operator: { kind: "person", extension: DEMO_PHONE.extension },
    speechInput: true,
    noInput: { retries: 2, target: { kind: "person", extension: DEMO_PHONE.extension } },
    invalidInput: { retries: 2, target: { kind: "person", extension: DEMO_PHONE.extension } },
  });
  await core.createPhoneNumber(deps.telephony, system, {
    e164: DEMO_ATTENDANT_NUMBER,
    label: "Main line (auto attendant)",
    entry: { kind: "auto_attendant", autoAttendantId: attendant.id },
  });
}
