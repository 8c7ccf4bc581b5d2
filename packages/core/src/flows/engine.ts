import {
  CallConnection,
  type CallParking,
  type ConnectDeps,
  type ConnectionEvent,
  DEFAULT_RECORDING_CONSENT,
  type PartyInput,
} from "../calls/connection.js";
import type { Dialer, DialTarget } from "../calls/dialer.js";
import { type CallLegMedia, hasEnded, type Key, type MediaMixer, type Prompt, type RecordingStore } from "../calls/media.js";
import type { Grammar, SpeechRecognizer } from "../calls/recognition.js";
import type { Clock } from "../kernel/clock.js";
import type { IdGenerator } from "../kernel/ids.js";
import type { QueueStore } from "../queues/ports.js";
import type { ExceptionKind } from "../routing/model.js";
import { matchByKeypad, spokenNames } from "./directory.js";
import type {
  Announcement,
  AttendantFlow,
  AttendantResult,
  AutoAttendant,
  CallQueueSettings,
  CallTarget,
  FlowResult,
  Mailbox,
  Menu,
  MenuOption,
  QueueResult,
  VoicemailMessage,
} from "./model.js";
import type {
  AutoAttendantStore,
  CallRouter,
  Directory,
  DirectoryEntry,
  FlowTimers,
  QueueOutcome,
  VoicemailStore,
} from "./ports.js";
import { FLOW_PROMPTS, messageCount, waitAnnouncement } from "./prompts.js";
import { schedulePeriod } from "./schedule.js";
import { transcribeVoicemailMessage, type VoicemailTranscription } from "./voicemail-transcription.js";

/** What the flow engine needs besides the caller's leg. Everything is a port: tests run it without sockets. */
export interface CallFlowDeps {
  readonly dialer: Dialer;
  readonly mixer: MediaMixer;
  readonly clock: Clock;
  readonly timers: FlowTimers;
  readonly ids: IdGenerator;
  readonly autoAttendants: Pick<AutoAttendantStore, "getAutoAttendant">;
  readonly queues: Pick<QueueStore, "getQueue">;
  readonly voicemail: VoicemailStore;
  readonly directory: Directory;
  readonly router: CallRouter;
  /** Park and pickup: a transfer to the park code parks the caller; without it, no parking. */
  readonly parking?: CallParking;
  /** Where call recordings are kept (a queue's recording, or one started through the API); without it, none. */
  readonly recordings?: RecordingStore;
  /** The connections of other calls, for attended transfers from a phone (REFER with Replaces). */
  readonly connections?: ConnectDeps["connections"];
  /** Each connected call (caller and agent), so the API can control it while it lasts. */
  readonly onConnected?: (connection: CallConnection<CallTarget>) => void;
  /** What happens on a connected call (transfers, participants, recording), for its timeline. */
  readonly onConnectionEvent?: (event: ConnectionEvent) => void;
  /** Spoken menu options and names; without it menus are keypad only. */
  readonly recognizer?: SpeechRecognizer;
  /** Checks a mailbox PIN against its stored hash. */
  readonly pins: { verify(pin: string, hash: string): Promise<boolean> };
  /** Each step's result, for reporting (AA and CQ results, voicemail, transfers). */
  readonly onResult?: (result: FlowResult) => void;
  /** Voicemail transcription; without it messages keep no transcript. */
  readonly transcription?: VoicemailTranscription;
  /** A message was left (notification, email): at once, or with its transcript once transcribed (never delaying the caller). */
  readonly onVoicemail?: (message: VoicemailMessage, mailbox: Mailbox) => void;
  /** How long a person's phone rings before their voicemail (default 20 s). */
  readonly personRingMs?: number;
  /** How long an external number rings (default 30 s). */
  readonly externalRingMs?: number;
}

export interface CallFlowContext {
  readonly tenantId: string;
  readonly callId: string;
  /** The caller as presented: shown on the phones that ring, kept with voicemail. */
  readonly caller: string;
}

/** Redirects in a row before the engine gives up: a loop of attendants pointing at each other. */
export const MAX_HOPS = 16;

const ALL_KEYS = "0123456789*#";
const DIGITS = "0123456789";
const CLOSED: AttendantFlow = {
  greeting: { kind: "speech", text: "We are closed now. Please call again during business hours." },
  menu: null,
  target: { kind: "disconnect" },
};

/**
 * Runs a call through its flows from `start` until it ends: auto attendants, call queues, people,
 * external numbers, voicemail and hang-ups, each step handing the caller to the next target. Written
 * only against the ports (media, dialer, mixer, routing, stores, timers), so the same code runs a SIP
 * call and a unit test. A configuration read when the call reaches it stays the call's version.
 */
export async function runCallFlow(
  leg: CallLegMedia,
  start: CallTarget,
  deps: CallFlowDeps,
  context: CallFlowContext,
): Promise<CallFlowEnd> {
  return new FlowRun(leg, deps, context).run(start);
}

/** `parked`: the caller waits in a parking orbit, alive; whoever holds the leg must not hang it up. */
export type CallFlowEnd = "ended" | "parked";

/** What a caller chose at a menu. */
type Choice =
  | { readonly kind: "key"; readonly key: Key; readonly said?: string }
  | { readonly kind: "none" }
  | { readonly kind: "unrecognized" }
  | { readonly kind: "hung-up" };

/** What an attendant's action leads to. */
type Step =
  | { readonly kind: "leave"; readonly target: CallTarget; readonly result: AttendantResult }
  | { readonly kind: "again" }
  | { readonly kind: "invalid" }
  | { readonly kind: "ended"; readonly result: AttendantResult };

class FlowRun {
  private readonly tenantId: string;

  constructor(
    private readonly leg: CallLegMedia,
    private readonly deps: CallFlowDeps,
    private readonly context: CallFlowContext,
  ) {
    this.tenantId = context.tenantId;
  }

  /** Set when a party parked the call: it lives on in the parking orbit. */
  private parked = false;

  async run(start: CallTarget): Promise<CallFlowEnd> {
    let next: CallTarget | null = start;
    for (let hops = 0; next !== null; hops++) {
      if (await hasEnded(this.leg)) return "ended";
      if (hops >= MAX_HOPS) {
        await this.giveUp();
        return "ended";
      }
      next = await this.step(next);
    }
    if (this.parked) return "parked";
    if (!(await hasEnded(this.leg))) await this.leg.hangup("the flow ended");
    return "ended";
  }

  private step(target: CallTarget): Promise<CallTarget | null> {
    switch (target.kind) {
      case "auto_attendant":
        return this.attendant(target.autoAttendantId);
      case "queue":
        return this.queue(target.queueId);
      case "person":
        return this.person(target.extension);
      case "external_number":
        return this.external(target.number);
      case "voicemail":
        return this.deposit(target.mailboxId);
      case "disconnect":
        return this.disconnect(target.message);
    }
  }

  private report(result: FlowResult): void {
    this.deps.onResult?.(result);
  }

  private async giveUp(): Promise<null> {
    await this.leg.play([FLOW_PROMPTS.cannotConnect]);
    await this.leg.hangup("the call could not be connected");
    return null;
  }

  private async disconnect(message: string | undefined): Promise<null> {
    if (message) await this.leg.play([{ kind: "speech", text: message }]);
    await this.leg.hangup("disconnected by the flow");
    return null;
  }

  // ------------------------------------------------------------ auto attendants

  private async attendant(id: string): Promise<CallTarget | null> {
    const aa = await this.deps.autoAttendants.getAutoAttendant(this.tenantId, id);
    if (!aa) return this.giveUp();
    const period = schedulePeriod(aa.schedule, this.deps.clock.now());
    const flow =
      period === "business_hours"
        ? aa.businessHours
        : period === "holiday"
          ? (aa.holiday ?? aa.afterHours ?? CLOSED)
          : (aa.afterHours ?? CLOSED);
    const path: string[] = [];
    const leave = (result: AttendantResult, target: CallTarget | null): CallTarget | null => {
      this.report({ kind: "auto_attendant", autoAttendantId: aa.id, version: aa.version, period, result, path, target });
      return target;
    };
    const speak = (a: Announcement): Prompt => (a.kind === "speech" && aa.voice && !a.voice ? { ...a, voice: aa.voice } : a);

    // A key pressed during the greeting is the caller's choice: the menu is not read to them.
    let chosenEarly = false;
    if (flow.greeting) {
      const keys = flow.menu ? menuKeys(flow.menu, aa) : "";
      const greeted = await this.leg.play([speak(flow.greeting)], { interruptKeys: keys });
      if (greeted.ended === "hung-up") return leave("caller_hung_up", null);
      chosenEarly = greeted.ended === "interrupted";
    }
    if (!flow.menu) {
      const target = flow.target ?? { kind: "disconnect" };
      return leave(resultOf(target), target);
    }
    const menus: Menu[] = [flow.menu];
    let silences = 0;
    let mistakes = 0;
    for (;;) {
      const menu = menus.at(-1) as Menu;
      const choice = chosenEarly ? await this.key() : await this.choose(menu, aa, speak);
      chosenEarly = false;
      if (choice.kind === "hung-up") return leave("caller_hung_up", null);
      let step: Step;
      if (choice.kind === "none") {
        silences += 1;
        if (silences > aa.noInput.retries) return leave("no_input", aa.noInput.target);
        await this.leg.play([FLOW_PROMPTS.notHeard]);
        continue;
      }
      if (choice.kind === "unrecognized") {
        step = { kind: "invalid" };
      } else {
        path.push(choice.said ?? choice.key);
        const option = menu.options.find((o) => o.key === choice.key);
        if (option) step = await this.act(option, aa, menus, speak);
        else if (choice.key === "0" && aa.operator)
          step = { kind: "leave", target: aa.operator, result: "transferred_to_operator" };
        else step = { kind: "invalid" };
      }
      if (step.kind === "leave") return leave(step.result, step.target);
      if (step.kind === "ended") return leave(step.result, null);
      if (step.kind === "invalid") {
        mistakes += 1;
        if (mistakes > aa.invalidInput.retries) return leave("invalid_input", aa.invalidInput.target);
        const said = await this.leg.play([FLOW_PROMPTS.notAnOption]);
        if (said.ended === "hung-up") return leave("caller_hung_up", null);
      }
      if (await hasEnded(this.leg)) return leave("caller_hung_up", null);
    }
  }

  /** Plays the menu and waits for a key, or (with speech input) for a key or the words of an option. */
  private async choose(menu: Menu, aa: AutoAttendant, speak: (a: Announcement) => Prompt): Promise<Choice> {
    const keys = menuKeys(menu, aa);
    const played = await this.leg.play([speak(menu.prompt)], { interruptKeys: keys });
    if (played.ended === "hung-up") return { kind: "hung-up" };
    const grammar: Grammar = {
      choices: menu.options.filter((o) => o.phrases.length > 0).map((o) => ({ id: o.key, phrases: o.phrases })),
    };
    if (played.ended === "interrupted" || !this.listens(aa, grammar)) return this.key();
    const heard = await this.listen(grammar, keys);
    if (heard.kind !== "said") return heard;
    return { kind: "key", key: heard.id as Key, said: heard.text };
  }

  private listens(aa: AutoAttendant, grammar: Grammar): boolean {
    return aa.speechInput && this.deps.recognizer !== undefined && grammar.choices.length > 0;
  }

  /** One key, five seconds to press it. */
  private async key(): Promise<Choice> {
    const input = await this.leg.collect({ maxDigits: 1, terminators: "", firstKeyTimeoutMs: 5_000 });
    if (input.ended === "hung-up") return { kind: "hung-up" };
    const key = input.digits[0] as Key | undefined;
    return key === undefined ? { kind: "none" } : { kind: "key", key };
  }

  /** Listens for a few seconds: a key stops it, speech is recognized against the grammar. */
  private async listen(grammar: Grammar, keys: string): Promise<{ kind: "said"; id: string; text: string } | Choice> {
    const heard = await this.leg.record({
      beep: false,
      save: false,
      maxDurationMs: 5_000,
      silenceTimeoutMs: 800,
      stopKeys: keys,
    });
    if (heard.ended === "hung-up") return { kind: "hung-up" };
    if (heard.ended === "key" && heard.key) return { kind: "key", key: heard.key };
    if (!heard.audio) return { kind: "none" };
    try {
      const recognition = await this.deps.recognizer?.recognize(heard.audio, grammar);
      return recognition ? { kind: "said", id: recognition.choiceId, text: recognition.text } : { kind: "unrecognized" };
    } catch {
      // Recognition is a convenience: without it the caller is asked again and can use the keypad.
      return { kind: "unrecognized" };
    }
  }

  private async act(option: MenuOption, aa: AutoAttendant, menus: Menu[], speak: (a: Announcement) => Prompt): Promise<Step> {
    const action = option.action;
    switch (action.kind) {
      case "redirect":
        return { kind: "leave", target: action.target, result: resultOf(action.target) };
      case "operator":
        return aa.operator ? { kind: "leave", target: aa.operator, result: "transferred_to_operator" } : { kind: "invalid" };
      case "announcement": {
        const said = await this.leg.play([speak(action.announcement)]);
        return said.ended === "hung-up" ? { kind: "ended", result: "caller_hung_up" } : { kind: "again" };
      }
      case "repeat":
        return { kind: "again" };
      case "back":
        if (menus.length > 1) menus.pop();
        return { kind: "again" };
      case "submenu":
        menus.push(action.menu);
        return { kind: "again" };
      case "dial_by_extension":
        return this.dialByExtension();
      case "dial_by_name":
        return this.dialByName(aa);
      case "voicemail_login":
        await this.voicemailMenu();
        return { kind: "ended", result: "voicemail_menu" };
    }
  }

  private async dialByExtension(): Promise<Step> {
    const asked = await this.leg.play([FLOW_PROMPTS.enterExtension], { interruptKeys: DIGITS });
    if (asked.ended === "hung-up") return { kind: "ended", result: "caller_hung_up" };
    const input = await this.leg.collect({ maxDigits: 8, terminators: "#", firstKeyTimeoutMs: 8_000, interKeyTimeoutMs: 4_000 });
    if (input.ended === "hung-up") return { kind: "ended", result: "caller_hung_up" };
    const entry = (await this.deps.directory.list(this.tenantId)).find((e) => e.extension === input.digits);
    if (entry) return { kind: "leave", target: { kind: "person", extension: entry.extension }, result: "transferred_to_user" };
    const said = await this.leg.play([FLOW_PROMPTS.noSuchExtension]);
    return said.ended === "hung-up" ? { kind: "ended", result: "caller_hung_up" } : { kind: "invalid" };
  }

  /** Letters on the keypad (or the name said): one match is put through, up to nine are read back to choose from. */
  private async dialByName(aa: AutoAttendant): Promise<Step> {
    const directory = await this.deps.directory.list(this.tenantId);
    const names = spokenNames(directory);
    const grammar: Grammar = { choices: [...names].map(([extension, phrases]) => ({ id: extension, phrases })) };
    const speech = this.listens(aa, grammar);
    for (let attempt = 0; attempt < 3; attempt++) {
      const asked = await this.leg.play([speech ? FLOW_PROMPTS.sayOrSpellName : FLOW_PROMPTS.spellName], {
        interruptKeys: DIGITS,
      });
      if (asked.ended === "hung-up") return { kind: "ended", result: "caller_hung_up" };
      let matches: DirectoryEntry[];
      if (speech && asked.ended !== "interrupted") {
        const heard = await this.listen(grammar, DIGITS);
        if (heard.kind === "hung-up") return { kind: "ended", result: "caller_hung_up" };
        if (heard.kind === "said") matches = directory.filter((e) => e.extension === heard.id);
        else if (heard.kind === "key") matches = await this.spelled(directory, heard.key);
        else matches = [];
      } else {
        matches = await this.spelled(directory, "");
      }
      if (await hasEnded(this.leg)) return { kind: "ended", result: "caller_hung_up" };
      if (matches.length === 1) {
        const only = matches[0] as DirectoryEntry;
        await this.leg.play([{ kind: "speech", text: only.name }]);
        return { kind: "leave", target: { kind: "person", extension: only.extension }, result: "transferred_to_user" };
      }
      if (matches.length > 9) {
        await this.leg.play([FLOW_PROMPTS.tooManyMatches]);
        continue;
      }
      if (matches.length === 0) {
        await this.leg.play([FLOW_PROMPTS.noNameMatch]);
        continue;
      }
      const list: Prompt[] = matches.map((m, i) => ({ kind: "speech", text: `For ${m.name}, press ${i + 1}.` }));
      const read = await this.leg.play(list, { interruptKeys: DIGITS });
      if (read.ended === "hung-up") return { kind: "ended", result: "caller_hung_up" };
      const pick = await this.leg.collect({ maxDigits: 1, terminators: "", firstKeyTimeoutMs: 6_000 });
      if (pick.ended === "hung-up") return { kind: "ended", result: "caller_hung_up" };
      const chosen = matches[Number(pick.digits) - 1];
      if (chosen)
        return { kind: "leave", target: { kind: "person", extension: chosen.extension }, result: "transferred_to_user" };
    }
    return { kind: "invalid" };
  }

  /** The keyed letters (after `first`, a key already pressed), `#` ends, and who they match. */
  private async spelled(directory: readonly DirectoryEntry[], first: string): Promise<DirectoryEntry[]> {
    const input = await this.leg.collect({ maxDigits: 10, terminators: "#", firstKeyTimeoutMs: 8_000, interKeyTimeoutMs: 4_000 });
    return matchByKeypad(directory, first + input.digits);
  }

  // ------------------------------------------------------------ call queues

  private async queue(queueId: string): Promise<CallTarget | null> {
    const queue = await this.deps.queues.getQueue(this.tenantId, queueId);
    const started = this.deps.clock.now().getTime();
    const waited = () => this.deps.clock.now().getTime() - started;
    if (!queue) {
      this.report({ kind: "call_queue", queueId, result: "failed", waitedMs: 0, workerId: null, target: null });
      return this.giveUp();
    }
    const settings = queue.call;
    const abandoned = (waitedMs: number, from = queueId) => {
      this.report({ kind: "call_queue", queueId: from, result: "abandoned", waitedMs, workerId: null, target: null });
      return null;
    };
    if (settings.greeting) {
      const greeted = await this.leg.play([settings.greeting]);
      if (greeted.ended === "hung-up") return abandoned(0);
    }
    const queued = await this.deps.router.enqueue({
      tenantId: this.tenantId,
      callId: this.context.callId,
      queueId,
      caller: this.context.caller,
    });
    // Moved to another queue by an exception: counted for this queue, the call waits on there, with the
    // other queue's music (its greeting is not said again: the caller is already waiting).
    queued.onMoved((move) => {
      this.report({
        kind: "call_queue",
        queueId: move.from,
        result: QUEUE_RESULT_OF[move.exception],
        waitedMs: move.waitedMs,
        workerId: null,
        target: { kind: "queue", queueId: move.to },
      });
      void this.deps.queues
        .getQueue(this.tenantId, move.to)
        .then((next) => (next?.call.music ? this.leg.hold([next.call.music]) : undefined))
        .catch(() => undefined);
    });
    await this.leg.hold(settings.music ? [settings.music] : undefined);
    const announce = settings.announceEverySeconds > 0 && (settings.announcePosition || settings.announceExpectedWait);
    const entertainment = announce
      ? this.announceWhileWaiting(settings.announceEverySeconds * 1000, () =>
          waitAnnouncement(
            settings.announcePosition ? queued.position() : null,
            settings.announceExpectedWait ? queued.expectedWaitSeconds() : null,
          ),
        )
      : undefined;
    const first = await Promise.race([queued.outcome, this.leg.ended.then(() => "hung-up" as const)]);
    await entertainment?.stop();
    // The queue the call waits in now: an exception may have moved it since it arrived.
    const last = queued.queueId;
    if (first === "hung-up") {
      await queued.abandon();
      return abandoned(waited(), last);
    }
    if (!(await hasEnded(this.leg))) await this.leg.resume();
    const lastSettings = last === queueId ? settings : ((await this.deps.queues.getQueue(this.tenantId, last))?.call ?? settings);
    return this.afterQueue(last, first, queued.complete.bind(queued), lastSettings);
  }

  private async afterQueue(
    queueId: string,
    outcome: QueueOutcome,
    complete: () => Promise<void>,
    settings: CallQueueSettings,
  ): Promise<CallTarget | null> {
    if (outcome.kind === "answered") {
      if (await hasEnded(this.leg)) {
        await outcome.leg.hangup("the caller hung up");
        await complete();
        this.report({
          kind: "call_queue",
          queueId,
          result: "abandoned",
          waitedMs: outcome.waitedMs,
          workerId: null,
          target: null,
        });
        return null;
      }
      this.report({
        kind: "call_queue",
        queueId,
        result: "answered",
        waitedMs: outcome.waitedMs,
        workerId: outcome.workerId,
        target: null,
      });
      const next = await this.talk(
        { leg: outcome.leg, extension: outcome.extension, identityId: outcome.workerId },
        {
          participantsAllowed: settings.conferenceMode,
          ...(settings.recording.enabled
            ? { record: { consent: settings.recording.consent ? [settings.recording.consent] : DEFAULT_RECORDING_CONSENT } }
            : {}),
        },
      );
      await complete();
      return next;
    }
    if (outcome.kind === "redirected") {
      this.report({
        kind: "call_queue",
        queueId,
        result: QUEUE_RESULT_OF[outcome.exception],
        waitedMs: outcome.waitedMs,
        workerId: null,
        target: outcome.target,
      });
      return outcome.target;
    }
    this.report({ kind: "call_queue", queueId, result: "failed", waitedMs: outcome.waitedMs, workerId: null, target: null });
    return this.giveUp();
  }

  /** Every `everyMs` while the caller waits, what `say` gives (over the music); `stop` cuts it short. */
  private announceWhileWaiting(everyMs: number, say: () => Prompt[]): { stop(): Promise<void> } {
    let waiting = true;
    let cancel: () => void = () => undefined;
    let wake: () => void = () => undefined;
    const woken = new Promise<void>((resolve) => {
      wake = resolve;
    });
    const loop = (async () => {
      while (waiting) {
        const sleep = this.deps.timers.sleep(everyMs);
        cancel = sleep.cancel;
        await Promise.race([sleep.done, woken]);
        if (!waiting) return;
        const played = await this.leg.play(say());
        if (played.ended === "hung-up") return;
      }
    })();
    return {
      stop: async () => {
        waiting = false;
        cancel();
        wake();
        this.leg.stop();
        await loop;
      },
    };
  }

  /**
   * Caller and party talk (a `CallConnection`: hold, transfers, park, participants, recording) until the call
   * ends; a transfer to a queue or an attendant hands the caller back: its target is the next step.
   */
  private async talk(
    party: PartyInput,
    options: { participantsAllowed?: boolean; record?: { consent: readonly Prompt[] } } = {},
  ): Promise<CallTarget | null> {
    const directory = this.deps.directory;
    const identityOf = async (tenantId: string, extension: string) =>
      (await directory.list(tenantId)).find((entry) => entry.extension === extension)?.identityId ?? undefined;
    const connection = new CallConnection<CallTarget>(
      this.leg,
      party,
      { ...this.deps, identityOf },
      { tenantId: this.tenantId, callId: this.context.callId, callerId: this.context.caller },
      { ...options, ...(this.deps.onConnectionEvent ? { onEvent: this.deps.onConnectionEvent } : {}) },
    );
    this.deps.onConnected?.(connection);
    const end = await connection.done;
    if (end.parked !== undefined) this.parked = true;
    return end.next ?? null;
  }

  // ------------------------------------------------------------ people and numbers

  /** Rings the person's phones; when nobody answers, their voicemail (or a word that they are not available). */
  private async person(extension: string): Promise<CallTarget | null> {
    const entry = (await this.deps.directory.list(this.tenantId)).find((e) => e.extension === extension);
    const report = (result: Extract<FlowResult, { kind: "person" }>["result"]) =>
      this.report({ kind: "person", extension, result });
    const outcome = await this.ring({ kind: "extension", extension }, this.deps.personRingMs ?? 20_000);
    if (outcome === "hung-up") {
      report("caller_hung_up");
      return null;
    }
    if (outcome !== "failed") {
      report("answered");
      return this.talk({ leg: outcome, extension });
    }
    const mailbox = entry?.userId ? await this.deps.voicemail.findMailboxByOwner(this.tenantId, entry.userId) : undefined;
    if (mailbox) {
      report("voicemail");
      return { kind: "voicemail", mailboxId: mailbox.id };
    }
    report("unavailable");
    await this.leg.play([FLOW_PROMPTS.personUnavailable, FLOW_PROMPTS.goodbye]);
    await this.leg.hangup("nobody answered");
    return null;
  }

  private async external(e164: string): Promise<CallTarget | null> {
    const outcome = await this.ring({ kind: "number", e164 }, this.deps.externalRingMs ?? 30_000);
    if (outcome === "hung-up") {
      this.report({ kind: "external_number", e164, result: "caller_hung_up" });
      return null;
    }
    if (outcome === "failed") {
      this.report({ kind: "external_number", e164, result: "failed" });
      await this.leg.play([FLOW_PROMPTS.numberUnavailable]);
      await this.leg.hangup("the number could not be reached");
      return null;
    }
    this.report({ kind: "external_number", e164, result: "answered" });
    return this.talk({ leg: outcome });
  }

  /** The caller hears music while the target rings; the answered leg, or why there is none. */
  private async ring(target: DialTarget, ringTimeoutMs: number): Promise<CallLegMedia | "failed" | "hung-up"> {
    const intro = await this.leg.play([FLOW_PROMPTS.transferring]);
    if (intro.ended === "hung-up") return "hung-up";
    await this.leg.hold();
    const answered = await this.deps.dialer.dial(target, {
      tenantId: this.tenantId,
      callId: this.context.callId,
      callerId: this.context.caller,
      ringTimeoutMs,
      abandon: this.leg.ended,
    });
    if (!answered.ok && answered.failure === "cancelled") return "hung-up";
    if (answered.ok && (await hasEnded(this.leg))) {
      await answered.leg.hangup("the caller hung up");
      return "hung-up";
    }
    await this.leg.resume();
    return answered.ok ? answered.leg : "failed";
  }

  // ------------------------------------------------------------ voicemail

  /** The mailbox's greeting, a beep, the message (kept even when the caller hangs up to end it). */
  private async deposit(mailboxId: string): Promise<null> {
    const mailbox = await this.deps.voicemail.getMailbox(this.tenantId, mailboxId);
    if (!mailbox) return this.giveUp();
    const report = (result: "message_left" | "no_message" | "caller_hung_up", messageId: string | null) =>
      this.report({ kind: "voicemail", mailboxId, result, messageId });
    const greeting: Prompt = mailbox.greeting ?? {
      kind: "speech",
      text: `You have reached the voicemail of ${mailbox.name}. ${FLOW_PROMPTS.leaveMessage.text}`,
    };
    const greeted = await this.leg.play([greeting], { interruptKeys: "#" });
    if (greeted.ended === "hung-up") {
      report("caller_hung_up", null);
      return null;
    }
    this.leg.flushKeys();
    const recorded = await this.leg.record({
      beep: true,
      maxDurationMs: mailbox.maxMessageSeconds * 1000,
      silenceTimeoutMs: 5_000,
      stopKeys: "#",
    });
    if (!recorded.recording) {
      report(recorded.ended === "hung-up" ? "caller_hung_up" : "no_message", null);
      if (recorded.ended !== "hung-up") {
        await this.leg.play([FLOW_PROMPTS.noMessageLeft]);
        await this.leg.hangup("no message");
      }
      return null;
    }
    const message = await this.deps.voicemail.addMessage({
      id: this.deps.ids.next(),
      tenantId: this.tenantId,
      mailboxId,
      callId: this.context.callId,
      caller: this.context.caller,
      recordingId: recorded.recording.id,
      durationMs: recorded.durationMs,
      transcript: null,
      heard: false,
      createdAt: this.deps.clock.now(),
    });
    report("message_left", message.id);
    // Transcribing takes a fraction of the message's length: the caller hears the goodbye meanwhile.
    if (this.deps.transcription) void this.transcribeThenNotify(message, mailbox, this.deps.transcription);
    else this.deps.onVoicemail?.(message, mailbox);
    if (!(await hasEnded(this.leg))) {
      await this.leg.play([FLOW_PROMPTS.messageSaved]);
      await this.leg.hangup("message left");
    }
    return null;
  }

  /** After the call: the message's transcript, then one notification that carries it (unless the message was deleted). */
  private async transcribeThenNotify(message: VoicemailMessage, mailbox: Mailbox, transcription: VoicemailTranscription) {
    const left = await transcribeVoicemailMessage(
      { voicemail: this.deps.voicemail, timers: this.deps.timers, transcription },
      message,
    );
    try {
      if (left) this.deps.onVoicemail?.(left, mailbox);
    } catch (error) {
      transcription.onError?.(error, message);
    }
  }

  /** The mailbox menu by phone: extension and PIN, then each message (new first) with replay, delete, next. */
  private async voicemailMenu(): Promise<void> {
    const mailbox = await this.logIn();
    if (!mailbox) {
      if (!(await hasEnded(this.leg))) {
        await this.leg.play([FLOW_PROMPTS.mailboxLoginFailed, FLOW_PROMPTS.goodbye]);
        await this.leg.hangup("voicemail login failed");
      }
      return;
    }
    const messages = await this.deps.voicemail.listMessages(this.tenantId, mailbox.id);
    const fresh = messages.filter((m) => !m.heard);
    const ordered = [...fresh, ...messages.filter((m) => m.heard)];
    const intro = await this.leg.play([messageCount(fresh.length, messages.length - fresh.length)]);
    if (intro.ended === "hung-up") return;
    for (const [index, message] of ordered.entries()) {
      for (let replay = 0; replay < 3; replay++) {
        const header: Prompt[] = [
          { kind: "speech", text: `Message ${index + 1}, from` },
          { kind: "digits", digits: message.caller.replace(/[^0-9*#]/g, "") || "0" },
          { kind: "recording", recordingId: message.recordingId },
        ];
        // Heard once it starts playing: a caller who hangs up halfway has heard it.
        if (!message.heard && replay === 0) await this.deps.voicemail.updateMessage({ ...message, heard: true });
        const heard = await this.leg.play([...header, FLOW_PROMPTS.messageMenu], { interruptKeys: ALL_KEYS });
        if (heard.ended === "hung-up") return;
        const key = await this.leg.collect({ maxDigits: 1, terminators: "", firstKeyTimeoutMs: 6_000 });
        if (key.ended === "hung-up") return;
        if (key.digits === "1") continue;
        if (key.digits === "7") {
          await this.deps.voicemail.deleteMessage(this.tenantId, message.id);
          await this.leg.play([FLOW_PROMPTS.messageDeleted]);
        }
        break;
      }
    }
    await this.leg.play([ordered.length === 0 ? FLOW_PROMPTS.noMessages : FLOW_PROMPTS.noMoreMessages]);
    await this.leg.hangup("voicemail menu ended");
  }

  /** Up to three tries of extension and PIN; the owner's personal mailbox when they match. */
  private async logIn(): Promise<Mailbox | undefined> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const extension = await this.ask(FLOW_PROMPTS.mailboxLogin, 8);
      if (extension === undefined) return undefined;
      const pin = await this.ask(FLOW_PROMPTS.mailboxPin, 12);
      if (pin === undefined) return undefined;
      const entry = (await this.deps.directory.list(this.tenantId)).find((e) => e.extension === extension);
      const mailbox = entry?.userId ? await this.deps.voicemail.findMailboxByOwner(this.tenantId, entry.userId) : undefined;
      if (mailbox?.pinHash && pin !== "" && (await this.deps.pins.verify(pin, mailbox.pinHash))) return mailbox;
      const said = await this.leg.play([FLOW_PROMPTS.mailboxLoginFailed]);
      if (said.ended === "hung-up") return undefined;
    }
    return undefined;
  }

  /** Digits keyed after a prompt, `#` ends; undefined when the caller hung up. */
  private async ask(prompt: Prompt, maxDigits: number): Promise<string | undefined> {
    const asked = await this.leg.play([prompt], { interruptKeys: DIGITS });
    if (asked.ended === "hung-up") return undefined;
    const input = await this.leg.collect({ maxDigits, terminators: "#", firstKeyTimeoutMs: 8_000, interKeyTimeoutMs: 4_000 });
    return input.ended === "hung-up" ? undefined : input.digits;
  }
}

const QUEUE_RESULT_OF: Record<ExceptionKind, QueueResult> = {
  overflow: "overflowed",
  timeout: "timed_out",
  no_agents: "no_agents",
};

/** The keys a menu listens to: its options, and `0` when an operator is set. */
function menuKeys(menu: Menu, aa: AutoAttendant): string {
  const keys = menu.options.map((o) => o.key).join("");
  return aa.operator && !keys.includes("0") ? `${keys}0` : keys;
}

/** How leaving for a target is counted in the attendant's results. */
function resultOf(target: CallTarget): AttendantResult {
  switch (target.kind) {
    case "person":
      return "transferred_to_user";
    case "queue":
      return "transferred_to_queue";
    case "auto_attendant":
      return "transferred_to_attendant";
    case "external_number":
      return "transferred_to_number";
    case "voicemail":
      return "shared_voicemail";
    case "disconnect":
      return "disconnected";
  }
}
