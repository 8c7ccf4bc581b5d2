import * as core from "@switchboard/core";
import { decide } from "../dialog/decide.js";
import type { BotAction, BotContext, BotInput, BotState } from "../dialog/model.js";
import { parseBotState } from "../dialog/state.js";
import { FaqIndex } from "../faq/faq-index.js";
import { IntentClassifier } from "../intent/intent-classifier.js";

export interface BotRuntimeDeps {
  readonly conversation: core.ConversationDeps;
  readonly verification: core.VerificationDeps;
  readonly knowledge: Pick<core.KnowledgeStore, "listFaqs" | "getBotSettings">;
  readonly defaultSettings: core.BotSettings;
  readonly onError: (error: unknown) => void;
}

interface ThreadOwner {
  readonly conversationId: string;
  readonly customerIdentityId: string;
}

/** How many threads' conversations the runtime remembers. */
const THREAD_CACHE_SIZE = 100_000;

interface TenantBrain {
  readonly faq: FaqIndex;
  readonly classifier: IntentClassifier;
  readonly settings: core.BotSettings;
}

/**
 * Runs the built-in bot: listens to conversations and their threads, feeds what the customer says to
 * the bot's brain (`decide`), and carries out what it decides through the core's use cases: replies,
 * verification codes, intents, handoffs. One conversation is handled at a time, in order.
 */
export class BotRuntime implements core.ThreadEventPublisher, core.ConversationEventPublisher {
  private readonly brains = new Map<string, Promise<TenantBrain>>();
  private readonly lanes = new Map<string, Promise<void>>();
  /** Which conversation (and customer) each thread belongs to; null for threads outside conversations. */
  private readonly threads = new Map<string, ThreadOwner | null>();
  /** Thread events still being matched to their conversation. */
  private readonly lookups = new Set<Promise<void>>();

  constructor(private readonly deps: BotRuntimeDeps) {}

  /** Forget a tenant's brain: its knowledge or settings changed. */
  invalidate(tenantId: string): void {
    this.brains.delete(tenantId);
  }

  publishConversationEvent(event: core.ConversationEvent, conversation: core.Conversation): void {
    if (event.type === "conversation.created" && conversation.status === "bot") {
      this.enqueue(conversation.tenantId, conversation.id, { kind: "conversation_started" });
    }
  }

  publish(event: core.ThreadEvent): void {
    if (event.type !== "chat.message.received") return;
    const { senderId, content } = event.data.message;
    const known = this.threads.get(event.threadId);
    if (known !== undefined) {
      this.onCustomerMessage(event.tenantId, known, senderId, content);
      return;
    }
    this.track(
      this.deps.conversation.conversations.getConversationByThread(event.tenantId, event.threadId).then((conversation) => {
        const owner = conversation
          ? { conversationId: conversation.id, customerIdentityId: conversation.customerIdentityId }
          : null;
        this.remember(event.threadId, owner);
        this.onCustomerMessage(event.tenantId, owner, senderId, content);
      }),
    );
  }

  private onCustomerMessage(tenantId: string, owner: ThreadOwner | null, senderId: string, text: string): void {
    // The bot answers the customer only; its own messages and those of agents are not for it.
    if (owner && senderId === owner.customerIdentityId) {
      this.enqueue(tenantId, owner.conversationId, { kind: "customer_message", text });
    }
  }

  /** A thread's conversation never changes (nor does a thread without one get one), so it is remembered. */
  private remember(threadId: string, owner: ThreadOwner | null): void {
    if (this.threads.size >= THREAD_CACHE_SIZE) {
      const oldest = this.threads.keys().next().value;
      if (oldest !== undefined) this.threads.delete(oldest);
    }
    this.threads.set(threadId, owner);
  }

  /** Resolves when the bot has finished with everything it was given (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.lanes.size > 0 || this.lookups.size > 0) {
      await Promise.all([...this.lanes.values(), ...this.lookups]);
    }
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch(this.deps.onError).finally(() => this.lookups.delete(tracked));
    this.lookups.add(tracked);
  }

  private enqueue(tenantId: string, conversationId: string, input: BotInput): void {
    const previous = this.lanes.get(conversationId) ?? Promise.resolve();
    const next = previous
      .then(() => this.handle(tenantId, conversationId, input))
      .catch(this.deps.onError)
      .finally(() => {
        if (this.lanes.get(conversationId) === next) this.lanes.delete(conversationId);
      });
    this.lanes.set(conversationId, next);
  }

  private brainFor(tenantId: string): Promise<TenantBrain> {
    let brain = this.brains.get(tenantId);
    if (!brain) {
      brain = (async () => {
        const settings = (await this.deps.knowledge.getBotSettings(tenantId)) ?? this.deps.defaultSettings;
        const faqs = await this.deps.knowledge.listFaqs(tenantId);
        const faq = new FaqIndex(
          faqs.map((f) => ({ id: f.id, question: f.question, answer: f.answer, alternatives: [...f.alternatives] })),
          settings.synonyms.map((group) => [...group]),
        );
        const classifier = IntentClassifier.train(settings.intents.map((i) => ({ name: i.name, examples: [...i.examples] })));
        return { faq, classifier, settings };
      })();
      brain.catch(() => this.brains.delete(tenantId));
      this.brains.set(tenantId, brain);
    }
    return brain;
  }

  private async handle(tenantId: string, conversationId: string, first: BotInput): Promise<void> {
    const conversations = this.deps.conversation.conversations;
    let conversation = await conversations.getConversation(tenantId, conversationId);
    if (conversation?.status !== "bot") return;
    const entryPoint = await this.deps.conversation.entryPoints.getEntryPoint(tenantId, conversation.entryPointId);
    if (!entryPoint?.botIdentityId) return;
    const bot: core.Principal = { kind: "identity", tenantId, identityId: entryPoint.botIdentityId, scopes: ["chat"] };
    const brain = await this.brainFor(tenantId);

    let state: BotState = parseBotState(conversation.botState);
    const inputs: BotInput[] = [first];
    for (let input = inputs.shift(); input; input = inputs.shift()) {
      const customer = conversation.customerId
        ? await this.deps.conversation.customers.getCustomer(tenantId, conversation.customerId)
        : undefined;
      const context = contextFor(brain, entryPoint, conversation, customer?.name);
      const decision = decide(state, input, context);
      state = decision.state;
      for (const action of decision.actions) {
        const result = await this.perform(action, conversation, entryPoint, bot);
        conversation = result.conversation;
        if (result.next) inputs.push(result.next);
      }
    }
    await core.changeConversation(this.deps.conversation, tenantId, conversationId, { patch: { botState: state } });
  }

  private async perform(
    action: BotAction,
    conversation: core.Conversation,
    entryPoint: core.EntryPoint,
    bot: core.Principal,
  ): Promise<{ conversation: core.Conversation; next?: BotInput }> {
    const deps = this.deps.conversation;
    switch (action.kind) {
      case "reply": {
        await core.sendMessage(deps.chat, bot, conversation.threadId, {
          content: action.text,
          ...(action.quickReplies ? { quickReplies: action.quickReplies } : {}),
          ...(action.card ? { card: action.card } : {}),
        });
        return { conversation };
      }
      case "set_intent": {
        const updated = await core.changeConversation(deps, conversation.tenantId, conversation.id, {
          patch: { intent: action.intent },
          event: { type: "conversation.intent_detected", data: { intent: action.intent, confidence: action.confidence } },
        });
        return { conversation: updated };
      }
      case "start_verification": {
        const result = await core.startVerification(this.deps.verification, conversation, action.email);
        const next: BotInput =
          result.kind === "started"
            ? { kind: "verification_started", maskedEmail: result.maskedEmail }
            : result.kind === "locked"
              ? { kind: "code_locked", minutes: result.minutes }
              : { kind: "verification_unknown_email" };
        return { conversation: await this.reload(conversation), next };
      }
      case "check_code": {
        const result = await core.checkCode(this.deps.verification, conversation, action.code);
        const next: BotInput =
          result.kind === "accepted"
            ? { kind: "code_accepted", customerName: result.customerName }
            : result.kind === "rejected"
              ? { kind: "code_rejected", attemptsLeft: result.attemptsLeft }
              : result.kind === "locked"
                ? { kind: "code_locked", minutes: result.minutes }
                : { kind: "code_expired" };
        return { conversation: await this.reload(conversation), next };
      }
      case "handoff": {
        const updated = await core.handOff(deps, conversation, {
          reason: action.reason,
          intent: action.intent,
          summary: action.summary,
        });
        // Out of hours the conversation still waits for the team, and the customer is told when to expect them.
        const open = core.isOpen(entryPoint.businessHours, deps.chat.clock.now());
        const position = await core.queuePosition(deps, updated);
        const content = !open
          ? entryPoint.afterHoursMessage
          : position === null
            ? "I'm connecting you with a person from our team."
            : `I'm connecting you with a person from our team. You're number ${position} in the queue; they'll see everything we talked about.`;
        await core.sendMessage(deps.chat, bot, conversation.threadId, {
          content,
          metadata: { "switchboard.event": "handoff", "switchboard.open": String(open) },
        });
        return { conversation: updated };
      }
    }
  }

  private async reload(conversation: core.Conversation): Promise<core.Conversation> {
    return (await this.deps.conversation.conversations.getConversation(conversation.tenantId, conversation.id)) ?? conversation;
  }
}

function contextFor(
  brain: TenantBrain,
  entryPoint: core.EntryPoint,
  conversation: core.Conversation,
  customerName: string | undefined,
): BotContext {
  return {
    faq: brain.faq,
    classifier: brain.classifier,
    intents: Object.fromEntries(
      brain.settings.intents.map((i) => [
        i.name,
        { requiresAgent: i.requiresAgent, needsVerification: i.needsVerification, ...(i.reply ? { reply: i.reply } : {}) },
      ]),
    ),
    greeting: entryPoint.greeting,
    verified: conversation.verified,
    ...(customerName ? { customerName } : {}),
    answerThreshold: brain.settings.answerThreshold,
    suggestThreshold: brain.settings.suggestThreshold,
    maxMisunderstandings: brain.settings.maxMisunderstandings,
  };
}
