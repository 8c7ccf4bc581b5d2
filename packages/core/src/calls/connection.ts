import { DomainError } from "../kernel/domain-error.js";
import type { Dialer, DialOptions, DialTarget } from "./dialer.js";
import type {
  CallLegMedia,
  Conference,
  MediaMixer,
  MixRecording,
  Prompt,
  Recording,
  RecordingStore,
  TransferRequest,
} from "./media.js";
import { hasEnded } from "./media.js";

/**
 * Where a party can park a call (a blind transfer to the park code): the caller waits in an orbit, with
 * music, until someone dials the orbit (or it rings back the parker). See flows/parking.ts.
 */
export interface CallParking {
  isParkCode(extension: string): boolean;
  /** Parks the caller (the parking now owns the leg); the orbit, or undefined when every orbit is taken. */
  park(
    caller: CallLegMedia,
    parker: { tenantId: string; callId: string; extension: string | undefined },
  ): Promise<string | undefined>;
}

export interface ConnectDeps {
  readonly dialer: Dialer;
  readonly mixer: MediaMixer;
  /** Without it, a transfer to the park code is dialled like any extension. */
  readonly parking?: CallParking;
  /** Where call recordings are kept; without it, recording is refused. */
  readonly recordings?: RecordingStore;
  /** The identity (agent) behind an extension, so whoever a call is transferred to may control it. */
  readonly identityOf?: (tenantId: string, extension: string) => Promise<string | undefined>;
  /** The other connections, for attended transfers (a phone's REFER with Replaces); without it they fail. */
  readonly connections?: {
    connectionOf(legId: string): Pick<CallConnection<unknown>, "surrender"> | undefined;
  };
}

/** Someone the caller talks to: the agent in charge, or a participant added to the call (an expert). */
export interface PartyInput {
  readonly leg: CallLegMedia;
  /** The extension of the phone that answered, when it is a phone of the tenant (a parked call rings it back). */
  readonly extension?: string;
  /** The identity behind the party (an agent, as the routing engine's worker), when known: they may control the call. */
  readonly identityId?: string;
}

export type PartyRole = "caller" | "agent" | "participant";

/** A party as the API shows it. */
export interface ConnectionParty {
  readonly legId: string;
  readonly role: PartyRole;
  readonly extension: string | null;
  readonly identityId: string | null;
  readonly muted: boolean;
}

export type ConsultationState = "ringing" | "talking";

/** What a live connection looks like now. */
export interface ConnectionState {
  readonly parties: readonly ConnectionParty[];
  readonly callerHeld: boolean;
  readonly recording: "off" | "on" | "paused";
  readonly consultation: { readonly target: DialTarget; readonly state: ConsultationState } | null;
  readonly participantsAllowed: boolean;
}

/** What happens on a connection, for the call's timeline (`recordCallEvent`). */
export type ConnectionEvent =
  | { readonly type: "participant.joined"; readonly legId: string; readonly role: PartyRole; readonly extension: string | null }
  | { readonly type: "participant.left"; readonly legId: string; readonly role: PartyRole }
  | { readonly type: "participant.muted"; readonly legId: string; readonly muted: boolean }
  | { readonly type: "caller.held"; readonly held: boolean }
  | { readonly type: "transfer.completed"; readonly mode: "blind" | "consult"; readonly target: DialTarget | "flow" }
  | { readonly type: "transfer.failed"; readonly mode: "blind" | "consult"; readonly target: DialTarget }
  | { readonly type: "consultation.started"; readonly target: DialTarget }
  | {
      readonly type: "consultation.ended";
      readonly outcome: "completed" | "cancelled" | "merged" | "failed" | "target_hung_up";
    }
  | { readonly type: "recording.started"; readonly consent: boolean }
  | { readonly type: "recording.paused" }
  | { readonly type: "recording.resumed" }
  | { readonly type: "recording.stopped"; readonly recordingId: string | null; readonly durationMs: number };

export interface ConnectionOptions {
  /** Record from the start, after everyone heard the consent announcement (a queue's recording setting). */
  readonly record?: { readonly consent: readonly Prompt[] };
  /** Whether participants may join (a queue's conference mode); default true. */
  readonly participantsAllowed?: boolean;
  readonly onEvent?: (event: ConnectionEvent) => void;
}

/**
 * How a connection ended: with the number of transfers; the orbit when the call was parked (it lives on
 * there); the flow target when the caller was handed back to the flows (a transfer to a queue): in both
 * cases the caller is still on the line.
 */
export interface ConnectEnd<Next = never> {
  readonly transfers: number;
  readonly parked?: string;
  readonly next?: Next;
}

/** The announcement before a recording starts, when the flow gives none. */
export const DEFAULT_RECORDING_CONSENT: readonly Prompt[] = [
  { kind: "speech", text: "This call is being recorded for quality and training purposes." },
];

interface Party extends PartyInput {
  role: "agent" | "participant";
}

interface Consultation {
  readonly target: DialTarget;
  /** Stops the ringing when the consultation is cancelled before the target answered. */
  readonly cancel: () => void;
  /** `cancelConsultation` was asked while the target rang. */
  cancelled?: boolean;
  leg?: CallLegMedia;
  room?: Conference;
}

/**
 * A caller connected to the people who handle the call, through one conference in Switchboard's media
 * (so recording, hold and muting work whoever the parties are):
 * - the agent in charge, who may put the caller on hold (a phone's hold key, or `hold`), transfer the call
 *   blind (a phone's transfer key, or `transfer`) or after consulting the target (`consult`, then
 *   `completeConsultation`, `cancelConsultation` or `mergeConsultation`), park it (a transfer to the park
 *   code), or hand it back to the flows (`handOff`: a transfer to a queue);
 * - participants (an expert) added with `addParticipant` or by merging a consultation; when the agent
 *   leaves, the first participant takes charge; an agent who hangs up while talking to a consulted target
 *   completes the transfer, as on an office phone;
 * - muting (`mute`), and recording with a consent announcement (`startRecording`, `pauseRecording`,
 *   `resumeRecording`, `stopRecording`; a recording still running when the call ends is saved).
 * When the caller hangs up, or nobody is left to talk to, everyone is hung up. Control operations run one
 * at a time; one that does not fit the moment fails with a `conflict` error.
 */
export class CallConnection<Next = never> {
  readonly done: Promise<ConnectEnd<Next>>;
  private resolveDone: (end: ConnectEnd<Next>) => void = () => undefined;
  private readonly room: Conference;
  private readonly parties: Party[] = [];
  private consultation: Consultation | undefined;
  private transferring = false;
  private recording: MixRecording | undefined;
  private callerHeld = false;
  private transfers = 0;
  private finished = false;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    readonly caller: CallLegMedia,
    agent: PartyInput,
    private readonly deps: ConnectDeps,
    private readonly dial: Omit<DialOptions, "abandon">,
    private readonly options: ConnectionOptions = {},
  ) {
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
    this.room = deps.mixer.conference();
    this.room.add(caller);
    void caller.ended.then(() => this.finish());
    this.join({ ...agent, role: "agent" });
    if (options.record) {
      const consent = options.record.consent;
      void this.exclusive(() => this.record(consent)).catch(() => undefined);
    }
  }

  /** The connection is over (the call ended, or the caller left it: parked, handed back to the flows). */
  get over(): boolean {
    return this.finished;
  }

  get callId(): string {
    return this.dial.callId;
  }

  get tenantId(): string {
    return this.dial.tenantId;
  }

  get state(): ConnectionState {
    const consultation = this.consultation;
    return {
      parties: [
        { legId: this.caller.id, role: "caller", extension: null, identityId: null, muted: this.room.isMuted(this.caller.id) },
        ...this.parties.map((party) => ({
          legId: party.leg.id,
          role: party.role,
          extension: party.extension ?? null,
          identityId: party.identityId ?? null,
          muted: this.room.isMuted(party.leg.id),
        })),
      ],
      callerHeld: this.callerHeld,
      recording: this.recording === undefined ? "off" : this.recording.paused ? "paused" : "on",
      consultation: consultation ? { target: consultation.target, state: consultation.leg ? "talking" : "ringing" } : null,
      participantsAllowed: this.options.participantsAllowed ?? true,
    };
  }

  /** Whether the leg is the caller's or one of the parties'. */
  hasLeg(legId: string): boolean {
    return this.caller.id === legId || this.parties.some((party) => party.leg.id === legId);
  }

  /**
   * Gives away the one party talking to `legId`, alive, and ends this connection with `legId` hung up: an
   * attended transfer, where whoever is on `legId` consulted that party on this call and hands them over to
   * another. Undefined (and nothing changes) unless the call is exactly `legId` and one other party.
   */
  surrender(legId: string): Promise<PartyInput | undefined> {
    return this.exclusive(async () => {
      if (this.finished || this.consultation !== undefined || this.transferring || this.parties.length !== 1) return undefined;
      const party = this.parties[0] as Party;
      if (legId === this.caller.id) {
        this.leave(party);
        await this.finish({ reason: "transferred" });
        return {
          leg: party.leg,
          ...(party.extension ? { extension: party.extension } : {}),
          ...(party.identityId ? { identityId: party.identityId } : {}),
        };
      }
      if (legId !== party.leg.id) return undefined;
      await this.finish({ keepCaller: true, reason: "transferred" });
      return { leg: this.caller };
    });
  }

  /** Whether the identity is one of the people handling the call (the agent or a participant). */
  involves(identityId: string): boolean {
    return this.parties.some((party) => party.identityId === identityId);
  }

  // ------------------------------------------------------------ hold and mute

  /** The caller hears hold music and is not heard, until `resume`. */
  hold(): Promise<void> {
    return this.exclusive(() => this.holdCaller(true));
  }

  resume(): Promise<void> {
    return this.exclusive(() => this.holdCaller(false));
  }

  /** A muted party still hears the others; they (and the recording) do not hear it. */
  mute(legId: string, muted: boolean): Promise<void> {
    return this.exclusive(async () => {
      if (legId !== this.caller.id && !this.parties.some((party) => party.leg.id === legId)) {
        throw new DomainError("call.party_not_found", "not_found", `Leg ${legId} is not a party to this call.`);
      }
      this.room.mute(legId, muted);
      this.emit({ type: "participant.muted", legId, muted });
    });
  }

  // ------------------------------------------------------------ transfers

  /** Blind transfer: the caller hears music while the target rings; the agent is hung up once it answers. */
  transfer(target: DialTarget): Promise<"succeeded" | "failed"> {
    return this.exclusive(() => this.blindTransfer(target));
  }

  /**
   * Puts the caller on hold and rings the target for the agent alone; once it answers, the agent and the
   * target talk privately until the consultation is completed, cancelled or merged.
   */
  consult(target: DialTarget): Promise<"answered" | "failed"> {
    return this.exclusive(async () => {
      const agent = this.requireAgent();
      this.requireIdle();
      let cancel: () => void = () => undefined;
      const cancelled = new Promise<void>((resolve) => {
        cancel = resolve;
      });
      const consultation: Consultation = { target, cancel };
      this.consultation = consultation;
      this.emit({ type: "consultation.started", target });
      await this.holdCaller(true);
      this.room.remove(agent.leg.id);
      const outcome = await this.deps.dialer.dial(target, {
        ...this.dial,
        abandon: Promise.race([this.caller.ended, agent.leg.ended, cancelled]),
      });
      if (this.consultation !== consultation || this.finished) {
        if (outcome.ok) await outcome.leg.hangup("the consultation was cancelled");
        return "failed";
      }
      if (!outcome.ok) {
        this.consultation = undefined;
        this.emit({ type: "consultation.ended", outcome: consultation.cancelled ? "cancelled" : "failed" });
        await this.backToCaller();
        return "failed";
      }
      consultation.leg = outcome.leg;
      const room = this.deps.mixer.conference();
      consultation.room = room;
      room.add(agent.leg);
      room.add(outcome.leg);
      void outcome.leg.ended.then(() => this.consultedHungUp(consultation));
      return "answered";
    });
  }

  /** The consulted target takes the call: the agent is hung up, the caller talks to the target. */
  completeConsultation(): Promise<void> {
    return this.exclusive(() => this.completeConsult());
  }

  /** The consulted target is hung up (or stops ringing) and the agent is back with the caller. */
  cancelConsultation(): Promise<void> {
    const ringing = this.consultation;
    if (ringing !== undefined && ringing.leg === undefined) {
      // `consult` is still running (it holds the turn while the target rings): stop the ringing, and it ends.
      ringing.cancelled = true;
      ringing.cancel();
      return this.exclusive(async () => undefined);
    }
    return this.exclusive(async () => {
      const consultation = this.requireConsultation();
      this.consultation = undefined;
      consultation.room?.close();
      await consultation.leg?.hangup("the consultation was cancelled");
      this.emit({ type: "consultation.ended", outcome: "cancelled" });
      await this.backToCaller();
    });
  }

  /** The consulted target joins the call as a participant: caller, agent and target talk together. */
  mergeConsultation(): Promise<void> {
    return this.exclusive(async () => {
      const consultation = this.requireConsultation();
      const leg = consultation.leg;
      if (leg === undefined) {
        throw new DomainError("call.consultation_ringing", "conflict", "The consulted party has not answered yet.");
      }
      this.requireParticipantsAllowed();
      this.consultation = undefined;
      consultation.room?.close();
      this.emit({ type: "consultation.ended", outcome: "merged" });
      this.join({ ...(await this.partyAt(consultation.target, leg)), role: "participant" });
      await this.backToCaller();
    });
  }

  /** Hands the caller back to the flows (a transfer to a queue or an attendant): the others are hung up. */
  handOff(next: Next): Promise<void> {
    return this.exclusive(async () => {
      this.requireIdle();
      this.transfers += 1;
      this.emit({ type: "transfer.completed", mode: "blind", target: "flow" });
      await this.finish({ keepCaller: true, next });
    });
  }

  // ------------------------------------------------------------ participants

  /** Rings the target while the call goes on; once it answers, it joins the call (an expert). */
  addParticipant(target: DialTarget): Promise<"answered" | "failed"> {
    return this.exclusive(async () => {
      this.requireParticipantsAllowed();
      if (this.finished) throw ended();
      const outcome = await this.deps.dialer.dial(target, { ...this.dial, abandon: this.caller.ended });
      if (!outcome.ok) return "failed";
      if (this.finished) {
        await outcome.leg.hangup("the call ended");
        return "failed";
      }
      const party = await this.partyAt(target, outcome.leg);
      if (this.finished) {
        await outcome.leg.hangup("the call ended");
        return "failed";
      }
      this.join({ ...party, role: "participant" });
      return "answered";
    });
  }

  /** Hangs up a participant (not the caller: `hangup` ends the call). */
  removeParticipant(legId: string): Promise<void> {
    return this.exclusive(async () => {
      const party = this.parties.find((p) => p.leg.id === legId);
      if (!party) throw new DomainError("call.party_not_found", "not_found", `Leg ${legId} is not a party to this call.`);
      await party.leg.hangup("removed from the call");
    });
  }

  /** Ends the call for everyone. */
  async hangup(reason = "the call was ended"): Promise<void> {
    await this.finish({ reason });
  }

  // ------------------------------------------------------------ recording

  /** Everyone hears the consent announcement, then the conference is recorded. */
  startRecording(options: { readonly consent?: readonly Prompt[] | false } = {}): Promise<void> {
    return this.exclusive(() =>
      this.record(options.consent === false ? undefined : (options.consent ?? DEFAULT_RECORDING_CONSENT)),
    );
  }

  pauseRecording(): Promise<void> {
    return this.exclusive(async () => {
      const recording = this.requireRecording();
      if (recording.paused) return;
      recording.pause();
      this.emit({ type: "recording.paused" });
    });
  }

  resumeRecording(): Promise<void> {
    return this.exclusive(async () => {
      const recording = this.requireRecording();
      if (!recording.paused) return;
      recording.resume();
      this.emit({ type: "recording.resumed" });
    });
  }

  /** Saves what was recorded; undefined when nothing was heard. */
  stopRecording(): Promise<Recording | undefined> {
    return this.exclusive(async () => {
      this.requireRecording();
      return this.saveRecording();
    });
  }

  // ------------------------------------------------------------ inside

  private async record(consent: readonly Prompt[] | undefined): Promise<void> {
    if (this.finished) throw ended();
    if (this.deps.recordings === undefined) {
      throw new DomainError("call.recording_unavailable", "conflict", "Recording is not available on this server.");
    }
    if (this.recording !== undefined)
      throw new DomainError("call.recording_running", "conflict", "The call is already recorded.");
    if (consent !== undefined && consent.length > 0) {
      await Promise.all([this.caller, ...this.parties.map((party) => party.leg)].map((leg) => leg.play(consent)));
      if (this.finished) return;
    }
    this.recording = this.room.record();
    this.emit({ type: "recording.started", consent: consent !== undefined && consent.length > 0 });
  }

  private async saveRecording(): Promise<Recording | undefined> {
    const recording = this.recording;
    if (recording === undefined) return undefined;
    this.recording = undefined;
    const audio = recording.stop();
    const saved =
      audio.length > 0 && this.deps.recordings
        ? await this.deps.recordings.save({ tenantId: this.dial.tenantId, audio, callId: this.dial.callId, kind: "call" })
        : undefined;
    this.emit({ type: "recording.stopped", recordingId: saved?.id ?? null, durationMs: saved?.durationMs ?? 0 });
    return saved;
  }

  private join(party: Party): void {
    this.parties.push(party);
    this.room.add(party.leg);
    this.emit({ type: "participant.joined", legId: party.leg.id, role: party.role, extension: party.extension ?? null });
    this.unsubscribe.push(
      party.leg.onTransferRequest((request) => {
        if (this.agent() === party) void this.exclusive(() => this.referred(request)).catch(() => request.settle("failed"));
        else void request.settle("failed");
      }),
      party.leg.onEvent((event) => {
        if (event.type === "party.held" && this.agent() === party) void this.exclusive(() => this.holdCaller(event.held));
      }),
    );
    void party.leg.ended.then(() => this.partyLeft(party));
  }

  /** The party reached at `target`: an extension's phone is known by its extension and its agent. */
  private async partyAt(target: DialTarget, leg: CallLegMedia): Promise<PartyInput> {
    if (target.kind !== "extension") return { leg };
    const identityId = await this.deps.identityOf?.(this.dial.tenantId, target.extension).catch(() => undefined);
    return { leg, extension: target.extension, ...(identityId ? { identityId } : {}) };
  }

  private agent(): Party | undefined {
    return this.parties.find((party) => party.role === "agent");
  }

  private async referred(request: TransferRequest): Promise<void> {
    const outcome =
      request.replaces === undefined
        ? await this.blindTransfer(request.target, request)
        : await this.attendedTransfer(request.replaces, request);
    await request.settle(outcome);
  }

  /**
   * The agent consulted the target on another call (`replaces` is the agent's leg of it) and hands the
   * caller over: the target leaves that call for this one, both of the agent's legs are hung up.
   */
  private async attendedTransfer(replaces: string, request: TransferRequest): Promise<"succeeded" | "failed"> {
    const agent = this.requireAgent();
    this.requireIdle();
    const other = this.deps.connections?.connectionOf(replaces);
    const party = other && (other as unknown) !== this ? await other.surrender(replaces) : undefined;
    if (party === undefined || this.finished) {
      if (party) await party.leg.hangup("the caller hung up");
      this.emit({ type: "transfer.failed", mode: "consult", target: request.target });
      return "failed";
    }
    await request.settle("succeeded");
    this.transfers += 1;
    this.emit({ type: "transfer.completed", mode: "consult", target: request.target });
    this.leave(agent);
    await agent.leg.hangup("transferred");
    const known =
      party.identityId === undefined && party.extension
        ? await this.partyAt({ kind: "extension", extension: party.extension }, party.leg)
        : party;
    this.join({ ...known, role: "agent" });
    await this.holdCaller(false);
    return "succeeded";
  }

  private async blindTransfer(target: DialTarget, request?: TransferRequest): Promise<"succeeded" | "failed"> {
    const agent = this.requireAgent();
    this.requireIdle();
    this.transferring = true;
    try {
      await this.holdCaller(true);
      if (target.kind === "extension" && this.deps.parking?.isParkCode(target.extension)) {
        return await this.park(agent, request);
      }
      const outcome = await this.deps.dialer.dial(target, { ...this.dial, abandon: this.caller.ended });
      if (this.finished) {
        if (outcome.ok) await outcome.leg.hangup("the caller hung up");
        return "failed";
      }
      if (!outcome.ok) {
        this.emit({ type: "transfer.failed", mode: "blind", target });
        // The agent hung up while the target rang: nobody is left for the caller.
        if (this.parties.length === 0) await this.finish();
        else await this.holdCaller(false);
        return "failed";
      }
      await request?.settle("succeeded");
      this.transfers += 1;
      this.emit({ type: "transfer.completed", mode: "blind", target });
      this.leave(agent);
      await agent.leg.hangup("transferred");
      this.join({ ...(await this.partyAt(target, outcome.leg)), role: "agent" });
      await this.holdCaller(false);
      return "succeeded";
    } finally {
      this.transferring = false;
    }
  }

  private async park(agent: Party, request: TransferRequest | undefined): Promise<"succeeded" | "failed"> {
    const parking = this.deps.parking;
    if (!parking) return "failed";
    this.room.remove(this.caller.id);
    const orbit = await parking.park(this.caller, {
      tenantId: this.dial.tenantId,
      callId: this.dial.callId,
      extension: agent.extension,
    });
    if (orbit === undefined) {
      this.room.add(this.caller);
      await this.holdCaller(false);
      return "failed";
    }
    // The parker hears where the call waits before its phone lets go.
    await agent.leg.play([
      { kind: "speech", text: "Parked on" },
      { kind: "digits", digits: orbit },
    ]);
    await request?.settle("succeeded");
    this.leave(agent);
    await agent.leg.hangup("parked");
    await this.finish({ keepCaller: true, parked: orbit });
    return "succeeded";
  }

  private async completeConsult(): Promise<void> {
    const consultation = this.requireConsultation();
    const leg = consultation.leg;
    if (leg === undefined)
      throw new DomainError("call.consultation_ringing", "conflict", "The consulted party has not answered yet.");
    this.consultation = undefined;
    consultation.room?.close();
    const agent = this.agent();
    this.transfers += 1;
    this.emit({ type: "consultation.ended", outcome: "completed" });
    this.emit({ type: "transfer.completed", mode: "consult", target: consultation.target });
    if (agent) {
      this.leave(agent);
      await agent.leg.hangup("transferred");
    }
    this.join({ ...(await this.partyAt(consultation.target, leg)), role: "agent" });
    await this.holdCaller(false);
  }

  private async consultedHungUp(consultation: Consultation): Promise<void> {
    if (this.consultation !== consultation || this.finished) return;
    await this.exclusive(async () => {
      if (this.consultation !== consultation) return;
      this.consultation = undefined;
      consultation.room?.close();
      this.emit({ type: "consultation.ended", outcome: "target_hung_up" });
      await this.backToCaller();
    });
  }

  /** After a consultation: the agent (if still there) talks to the caller again. */
  private async backToCaller(): Promise<void> {
    const agent = this.agent();
    if (agent && !(await hasEnded(agent.leg))) this.room.add(agent.leg);
    if (this.parties.length === 0) {
      await this.finish();
      return;
    }
    await this.holdCaller(false);
  }

  private async partyLeft(party: Party): Promise<void> {
    if (this.finished || !this.parties.includes(party)) return;
    const wasAgent = party.role === "agent";
    this.leave(party);
    if (wasAgent && this.consultation?.leg !== undefined) {
      // Hanging up while talking to the consulted target hands the caller over, as on an office phone.
      await this.exclusive(() => this.completeConsult());
      return;
    }
    if (this.transferring || this.consultation !== undefined) return;
    if (wasAgent) {
      const next = this.parties[0];
      if (next) next.role = "agent";
    }
    if (this.parties.length === 0) await this.finish();
  }

  /** The party is no longer one of the call's (hung up, or transferred away). */
  private leave(party: Party): void {
    const index = this.parties.indexOf(party);
    if (index < 0) return;
    this.parties.splice(index, 1);
    this.room.remove(party.leg.id);
    this.emit({ type: "participant.left", legId: party.leg.id, role: party.role });
  }

  private async holdCaller(held: boolean): Promise<void> {
    if (this.finished || this.callerHeld === held) return;
    this.callerHeld = held;
    await (held ? this.caller.hold() : this.caller.resume());
    this.emit({ type: "caller.held", held });
  }

  private async finish(end: { keepCaller?: boolean; parked?: string; next?: Next; reason?: string } = {}): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    for (const unsubscribe of this.unsubscribe.splice(0)) unsubscribe();
    await this.saveRecording().catch(() => undefined);
    const consultation = this.consultation;
    this.consultation = undefined;
    consultation?.cancel();
    consultation?.room?.close();
    this.room.close();
    const legs = [...this.parties.map((party) => party.leg), ...(consultation?.leg ? [consultation.leg] : [])];
    if (!end.keepCaller) legs.push(this.caller);
    else if (this.callerHeld && end.parked === undefined) await this.caller.resume();
    await Promise.all(legs.map((leg) => leg.hangup(end.reason ?? "the other party hung up")));
    this.resolveDone({
      transfers: this.transfers,
      ...(end.parked !== undefined ? { parked: end.parked } : {}),
      ...(end.next !== undefined ? { next: end.next } : {}),
    });
  }

  private requireAgent(): Party {
    if (this.finished) throw ended();
    const agent = this.agent();
    if (!agent) throw new DomainError("call.no_agent", "conflict", "Nobody is handling this call now.");
    return agent;
  }

  private requireIdle(): void {
    if (this.finished) throw ended();
    if (this.consultation !== undefined || this.transferring) {
      throw new DomainError("call.transfer_in_progress", "conflict", "A transfer or consultation is in progress.");
    }
  }

  private requireConsultation(): Consultation {
    if (this.finished) throw ended();
    if (this.consultation === undefined)
      throw new DomainError("call.no_consultation", "conflict", "No consultation is in progress.");
    return this.consultation;
  }

  private requireRecording(): MixRecording {
    if (this.finished) throw ended();
    if (this.recording === undefined) throw new DomainError("call.not_recording", "conflict", "The call is not being recorded.");
    return this.recording;
  }

  private requireParticipantsAllowed(): void {
    if (!(this.options.participantsAllowed ?? true)) {
      throw new DomainError(
        "call.participants_not_allowed",
        "conflict",
        "Participants cannot join calls of this queue: its conference mode is off.",
      );
    }
  }

  /** Runs control operations one at a time, in the order asked. */
  private exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.queue.then(operation, operation);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private emit(event: ConnectionEvent): void {
    try {
      this.options.onEvent?.(event);
    } catch {
      // The timeline is the application's; a failing listener must not break the call.
    }
  }
}

const ended = () => new DomainError("call.ended", "conflict", "The call has ended.");

/**
 * Keeps a caller talking to a party until the call ends (see `CallConnection`), for flows that need no
 * control over it.
 */
export function connectParties(
  caller: CallLegMedia,
  party: CallLegMedia,
  deps: ConnectDeps,
  dial: Omit<DialOptions, "abandon">,
  /** The party's extension, when it is a phone of the tenant (a parked call rings it back). */
  partyExtension?: string,
): Promise<ConnectEnd> {
  return new CallConnection(caller, { leg: party, ...(partyExtension ? { extension: partyExtension } : {}) }, deps, dial).done;
}
