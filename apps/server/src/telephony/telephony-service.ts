import { randomBytes } from "node:crypto";
import path from "node:path";
import * as core from "@switchboard/core";
import {
  CachingSynthesizer,
  EspeakSynthesizer,
  PocketsphinxRecognizer,
  PocketsphinxTranscriber,
  SpeechPromptRenderer,
} from "@switchboard/speech";
import {
  type Call,
  type CallOptions,
  type DialRoute,
  DigestAuthenticator,
  InboundAccess,
  type InboundTrunk,
  type LegCall,
  LocalDatagramIo,
  LoopLag,
  MediaClock,
  type MediaQuality,
  Registrar,
  type Replaces,
  RtpMediaMixer,
  RtpPortPool,
  replacesDialog,
  SipDialer,
  SipLegMedia,
  systemScheduler,
  ThreadedDatagramIo,
  UserAgent,
  WebPhones,
  WebRtcLeg,
  type WebRtcLegOptions,
} from "@switchboard/telephony";
import type { BlobRecordingStore } from "../adapters/blob-recording-store.js";
import { type Config, trustsLoopback, webrtcAddressOf } from "../config.js";
import { BrowserCalls } from "./browser-calls.js";
import { agentAccounts, type CallFlowStores, sipDirectory, systemFlowTimers } from "./call-flows.js";
import { CallLog } from "./call-log.js";
import { dialTargetOf, InboundCalls, LOOPBACK_TRUNK_ID } from "./inbound-calls.js";

export interface TelephonyServiceDeps {
  readonly config: Config;
  readonly telephony: core.TelephonyDeps;
  readonly callRecords: core.CallRecordDeps;
  readonly recordings: BlobRecordingStore;
  /** Where connected calls are registered while they last, for the API to control them. */
  readonly liveCalls: core.LiveCalls<core.CallTarget>;
  /** Registered phones' bindings, in the database: phones stay reachable across restarts, and from every node. */
  readonly sipLocations: core.SipLocationStore;
  /** Deployment-wide secrets: the nonce key survives restarts, so phones are not re-challenged after one. */
  readonly secrets: { getOrCreate(name: string, create: () => string): Promise<string> };
  readonly ids: core.IdGenerator;
  /** A queue by its name (a conversation's queue, where a customer's web call waits). */
  readonly queueByName?: (tenantId: string, name: string) => Promise<core.Queue | undefined>;
  /** Auto attendants, call queues, voicemail: what numbers other than the demo's are answered by. */
  readonly flows?: CallFlowStores;
  readonly logger: {
    info(data: object, message: string): void;
    warn(data: object, message: string): void;
    error(data: object, message: string): void;
  };
}

export interface TelephonyStats {
  readonly activeCalls: number;
  readonly media: {
    /** How steadily RTP leaves: the I/O thread's paced sends, or the media clock's ticks when sockets run here. */
    readonly jitterP99Ms: number;
    /** Media ticks dropped after a stall longer than the catch-up budget, since start. */
    readonly skipped: number;
    /** How late the media clock's ticks ran on the main thread (with pacing, absorbed up to the pacing lead). */
    readonly tickLatenessP99Ms: number;
    /** How long one tick's media work took on the main thread. */
    readonly tickWorkP99Ms: number;
  };
}

/** With sockets on the I/O thread, each tick's RTP leaves one frame after the tick was due (see `ThreadedDatagramIo`). */
const RTP_PACING_AHEAD_MS = 20;

/**
 * The SIP side of Switchboard: a user agent on UDP and TCP (`SWITCHBOARD_SIP_PORT`), RTP from
 * `SWITCHBOARD_RTP_PORTS` paced by one media clock, the registrar for agents' phones (digest against
 * their SIP accounts), access control for trunks (allow lists, digest, flood limits, scanner bans), and
 * incoming calls run by the flow their number names. Trunk changes made through the API apply at once.
 */
export class TelephonyService {
  private trunkTenants = new Map<string, string>();

  private constructor(
    private readonly deps: TelephonyServiceDeps,
    readonly agent: UserAgent,
    readonly registrar: Registrar,
    private readonly access: InboundAccess,
    private readonly clock: MediaClock,
    private readonly log: CallLog,
    private readonly io: LocalDatagramIo | ThreadedDatagramIo,
    /** Agent desktops registered for calls (the real-time socket's `calls.register`). */
    readonly webPhones: WebPhones,
  ) {}

  static async start(deps: TelephonyServiceDeps): Promise<TelephonyService> {
    const { config, telephony } = deps;
    const realm = telephony.sipRealm ?? "switchboard";
    const publicAddress = config.sipPublicAddress ?? (config.sipHost === "0.0.0.0" ? "127.0.0.1" : config.sipHost);
    const clock = new MediaClock();
    const io = config.rtpIoThread
      ? new ThreadedDatagramIo({
          pacing: { clock, aheadMs: RTP_PACING_AHEAD_MS },
          ...(config.rtpIoNice === undefined
            ? {}
            : {
                nice: config.rtpIoNice,
                onNice: (applied) => {
                  if (!applied) deps.logger.warn({ nice: config.rtpIoNice }, "could not set the RTP I/O thread's nice value");
                },
              }),
          onError: (error) => deps.logger.error({ err: error }, "the RTP I/O thread failed"),
        })
      : new LocalDatagramIo();
    const ports = new RtpPortPool({ host: config.sipHost, ...config.rtpPorts, io });
    const media: CallOptions = { ports, clock, address: publicAddress };
    const synthesizer = new CachingSynthesizer(new EspeakSynthesizer(), {
      directory: path.resolve(config.dataDir, "prompts"),
      onDiskError: (error) => deps.logger.warn({ err: error }, "could not use the prompt cache on disk"),
    });
    const renderer = new ToneFallbackRenderer(
      new SpeechPromptRenderer({ synthesizer, recordings: deps.recordings }),
      deps.logger,
    );
    // Before the SIP port opens: a call that arrives at once finds everything in place.
    const recognizer = deps.flows ? await offlineRecognizer(deps.logger) : undefined;
    const transcriber = deps.flows ? await offlineTranscriber(deps.logger) : undefined;
    const log = new CallLog(deps.callRecords, (error) => deps.logger.error({ err: error }, "could not write a call record"));
    const lag = config.sipOverloadLagMs > 0 ? new LoopLag({ overloadedFromMs: config.sipOverloadLagMs }) : undefined;
    const access = new InboundAccess({
      usersMayCall: true,
      ...(lag ? { overloaded: () => lag.retryAfterSeconds() } : {}),
    });
    const authenticator = new DigestAuthenticator({
      realm,
      secret: await deps.secrets.getOrCreate("sip-nonce-secret", () => randomBytes(32).toString("base64url")),
      lookup: async (username) => (await telephony.sipAccounts.findByUsername(username))?.ha1,
    });
    // Wall time: the stored expiries outlive this process.
    const registrar = new Registrar({
      location: deps.sipLocations,
      authenticator,
      domain: realm,
      clock: Date.now,
      onError: (error) => deps.logger.warn({ err: error }, "could not remove an expired SIP registration"),
    });
    /** The legs alive, by their dialog's SIP Call-ID: what an attended transfer's Replaces names. */
    const legsBySipCallId = new Map<string, { legId: string; call: Call }>();
    const replacedLeg = (replaces: Replaces): string | undefined => {
      const found = legsBySipCallId.get(replaces.callId);
      const tags = found?.call.leg.dialogTags;
      return found && tags && replacesDialog(replaces, tags) ? found.legId : undefined;
    };
    /** Every leg a flow drives (SIP or browser), its media events on its call's timeline. */
    const mediaFor = (call: LegCall, leg: { legId: string; tenantId: string; callId: string }) => {
      const media = new SipLegMedia({
        call,
        legId: leg.legId,
        tenantId: leg.tenantId,
        callId: leg.callId,
        renderer: renderer.forTenant(leg.tenantId),
        recordings: deps.recordings,
        scheduler: systemScheduler,
        // A phone's transfer key (REFER) names an extension or a number, and after a consultation the
        // dialog of the consulted call (Replaces).
        transferTarget: dialTargetOf,
        replacedLeg,
      });
      const entry = log.find(leg.callId);
      if (entry) {
        media.onEvent((event) => entry.mediaEvent(event));
        // The leg's call quality over its whole life, on the call's timeline (what a supervisor looks at after a bad call).
        call.onEnded(() => {
          void call
            .quality?.()
            .then((quality) => entry.note("leg.quality", legQuality(leg.legId, quality)))
            .catch((error: unknown) => deps.logger.warn({ err: error }, "could not read a leg's call quality"));
        });
      }
      return media;
    };
    const legFor = (call: Call, leg: { legId: string; tenantId: string; callId: string }) => {
      const sipCallId = call.leg.callId;
      legsBySipCallId.set(sipCallId, { legId: leg.legId, call });
      call.onEnded(() => {
        if (legsBySipCallId.get(sipCallId)?.call === call) legsBySipCallId.delete(sipCallId);
      });
      return mediaFor(call, leg);
    };
    let service: TelephonyService | undefined;
    const agent = await UserAgent.listen({
      host: config.sipHost,
      port: config.sipPort,
      advertisedHost: publicAddress,
      access,
      authenticator,
      onRegister: (request, source) => registrar.handle(request, source),
      onInvite: (leg) =>
        service?.inbound.handle(leg).catch((error) => deps.logger.error({ err: error }, "an incoming call failed")),
    });
    const sipDialer = new SipDialer({
      agent,
      media,
      newLegId: () => deps.ids.next(),
      legFor,
      routesToExtension: async (tenantId, extension) => {
        const account = await telephony.sipAccounts.findByExtension(tenantId, extension);
        if (!account) return [];
        const contacts = await registrar.contacts(`sip:${account.username}@${realm}`);
        return contacts.map((c) => ({ uri: c.uri, destination: c.destination }));
      },
      routesToNumber: (tenantId, e164) => outboundRoutes(telephony, tenantId, e164, publicAddress),
      onLeg: ({ legId, call, route, options, answered }) => {
        const entry = log.find(options.callId);
        if (!entry) return;
        entry.legAdded({ id: legId, role: "agent", party: route.uri, sipCallId: call.leg.callId, protocol: call.leg.protocol });
        void answered.then((outcome) => {
          if (outcome.ok) entry.legAnswered(legId);
        });
        call.onEnded((end) =>
          entry.legEnded(legId, {
            by: end.by === "remote" ? "callee" : "platform",
            ...(end.status !== undefined ? { status: end.status } : {}),
            reason: end.cause,
          }),
        );
      },
    });
    const webrtcAddress = webrtcAddressOf(config);
    const webrtcLeg = (): WebRtcLegOptions => ({
      clock,
      bindAddress: webrtcAddress,
      iceServers: config.webrtcIceServers,
      ...(config.webrtcAnnouncedAddresses.length > 0 ? { additionalHostAddresses: config.webrtcAnnouncedAddresses } : {}),
      ...(config.webrtcPorts ? { portRange: config.webrtcPorts } : {}),
    });
    const webPhones = new WebPhones({
      leg: webrtcLeg,
      newLegId: () => deps.ids.next(),
      legFor: mediaFor,
      queueName: async (tenantId, queueId) => (await deps.flows?.queues.getQueue(tenantId, queueId))?.name,
      onLeg: ({ legId, identityId, leg, options, answered }) => {
        const entry = log.find(options.callId);
        if (!entry) return;
        entry.legAdded({ id: legId, role: "agent", party: `browser:${identityId}`, sipCallId: legId, protocol: "webrtc" });
        void answered.then((up) => {
          if (up) entry.legAnswered(legId);
        });
        leg.onEnded((end) => entry.legEnded(legId, { by: end.by === "remote" ? "callee" : "platform", reason: end.cause }));
      },
    });
    const agentAccount = deps.flows ? agentAccounts(deps.flows) : async () => undefined;
    /** The identity of the user an extension belongs to: their agent desktops ring with their phone. */
    const personAt = async (tenantId: string, extension: string): Promise<string | undefined> => {
      const account = await telephony.sipAccounts.findByExtension(tenantId, extension);
      if (!account?.userId || !deps.flows) return undefined;
      return (await deps.flows.users.getUser(tenantId, account.userId))?.identityId;
    };
    /**
     * The flows' dialer: a number goes out over SIP; a person (an agent offered a call, or an extension dialled
     * or transferred to) rings on their agent desktops registered for calls and their desk phone at once.
     */
    const dialer: core.Dialer = {
      dial: async (target, options) => {
        if (target.kind === "number") return sipDialer.dial(target, options);
        const { tenantId } = options;
        // An extension's person is looked up only where some desktop of the tenant may ring.
        const identityId =
          target.kind === "agent"
            ? target.workerId
            : webPhones.anyRegistered(tenantId)
              ? await personAt(tenantId, target.extension)
              : undefined;
        const extension =
          target.kind === "extension" ? target.extension : (await agentAccount(tenantId, target.workerId))?.extension;
        const branches: core.DialBranch[] = [];
        if (identityId !== undefined && webPhones.isRegistered(tenantId, identityId)) {
          branches.push((branch) => webPhones.dial(tenantId, identityId, branch));
        }
        if (extension !== undefined) branches.push((branch) => sipDialer.dial({ kind: "extension", extension }, branch));
        return core.forkDial(branches, options);
      },
    };
    const mixer = new RtpMediaMixer({ ids: deps.ids });
    lag?.start();
    service = new TelephonyService(deps, agent, registrar, access, clock, log, io, webPhones);
    service.browserCalls = new BrowserCalls({
      log,
      dialer,
      webPhones,
      newLeg: () => new WebRtcLeg(webrtcLeg()),
      mediaFor,
      accountOf: agentAccount,
      queueByName: async (tenantId, name) => deps.queueByName?.(tenantId, name),
      runFlow: (start, media, entry, caller, onConnected) =>
        service?.inbound ? service.inbound.runFlow(start, media, entry, caller, onConnected) : Promise.resolve(),
      nameOf: async (tenantId, identityId) => (await deps.flows?.users.getUserByIdentity(tenantId, identityId))?.displayName,
      connect: (entry, caller, party, dial) =>
        service?.inbound ? service.inbound.connect(entry, caller, party, dial) : Promise.resolve(),
      newId: () => deps.ids.next(),
    });
    // After the user agent: its calls have closed their sockets by then.
    service.closeResources = async () => {
      lag?.stop();
      await Promise.all([recognizer?.close(), transcriber?.close(), io.close()]);
    };
    const parking = new core.ParkingLot({
      dialer,
      mixer,
      timers: systemFlowTimers,
      onEvent: (event) => log.find(event.callId)?.note(event.type, event),
    });
    const flows = deps.flows
      ? callFlowDeps(
          { ...deps.flows, ...(recognizer ? { recognizer } : {}), ...(transcriber ? { transcriber } : {}) },
          { dialer, mixer, parking, ids: deps.ids, logger: deps.logger, recordings: deps.recordings },
        )
      : undefined;
    service.inbound = new InboundCalls({
      telephony,
      log,
      dialer,
      mixer,
      media,
      legFor,
      trunkTenant: (id) => service?.trunkTenants.get(id),
      registeredFrom: async (username, address) =>
        (await registrar.contacts(`sip:${username}@${realm}`)).some((c) => c.destination.host === address),
      newId: () => deps.ids.next(),
      ...(flows ? { flows } : {}),
      parking,
      liveCalls: deps.liveCalls,
      logger: deps.logger,
    });
    access.onEvent((event) => deps.logger.warn({ event }, "SIP access"));
    registrar.onEvent((event) => deps.logger.info({ kind: event.kind, aor: event.binding.aor }, "SIP registration"));
    // The bindings stored before this start: those that expired while the server was down go (logged), the
    // others get their expiry timed, as no timer of this process covers them yet. Reads skip expired bindings
    // anyway, so a failure here costs only tidiness, not the start.
    await registrar
      .resume()
      .catch((error: unknown) => deps.logger.warn({ err: error }, "could not take over the stored SIP registrations"));
    await service.reloadTrunks();
    return service;
  }

  private inbound!: InboundCalls;
  /** Calls agents place from their desktops (the real-time socket's `call.place`). */
  browserCalls!: BrowserCalls;

  get port(): number {
    return this.agent.port;
  }

  stats(): TelephonyStats {
    const ticks = this.clock.stats();
    const paced = this.io instanceof ThreadedDatagramIo ? this.io.pacedSendStats() : undefined;
    return {
      activeCalls: this.log.activeCalls,
      media: {
        jitterP99Ms: paced?.jitterP99Ms ?? ticks.jitterP99Ms,
        skipped: ticks.skipped,
        tickLatenessP99Ms: ticks.latenessP99Ms,
        tickWorkP99Ms: ticks.workP99Ms,
      },
    };
  }

  /** Reads every tenant's trunks again (after a change through the API), plus the loopback demo trunk. */
  async reloadTrunks(): Promise<void> {
    const trunks = (await this.deps.telephony.trunks.listAllTrunks()).filter((t) => t.enabled);
    this.trunkTenants = new Map(trunks.map((t) => [t.id, t.tenantId]));
    const inbound: InboundTrunk[] = trunks.map((t) => ({
      id: t.id,
      allow: t.inbound.allowList,
      ...(t.inbound.digest ? { digest: { username: t.inbound.digest.username, ha1: t.inbound.digest.ha1 } } : {}),
    }));
    if (trustsLoopback(this.deps.config)) inbound.push({ id: LOOPBACK_TRUNK_ID, allow: ["127.0.0.1/32", "::1/128"] });
    this.access.setTrunks(inbound);
  }

  /** The speech processes and the RTP I/O thread. */
  private closeResources: () => Promise<void> = () => Promise.resolve();

  async close(): Promise<void> {
    this.registrar.close();
    await this.webPhones.close();
    await this.agent.close();
    // The calls the close ended keep their records: their last writes land before the database closes.
    await this.log.drain();
    await this.closeResources();
    this.clock.stop();
  }
}

/** A leg's quality as its call's timeline keeps it (`leg.quality`): counts, loss as a fraction, times in ms to 0.1. */
function legQuality(legId: string, q: MediaQuality) {
  const tenth = (ms: number) => Math.round(ms * 10) / 10;
  return {
    legId,
    packetsSent: q.packetsSent,
    packetsReceived: q.packetsReceived,
    packetsLost: q.packetsLost,
    fractionLost: Math.round(q.fractionLost * 10_000) / 10_000,
    jitterMs: tenth(q.jitterMs),
    roundTripMs: q.roundTripMs === undefined ? null : tenth(q.roundTripMs),
    remote: q.remote
      ? { packetsLost: q.remote.packetsLost, fractionLost: q.remote.fractionLost, jitterMs: tenth(q.remote.jitterMs) }
      : null,
  };
}

/** Routes out through the tenant's enabled trunks that have an outbound side, with their caller-ID policy. */
async function outboundRoutes(
  telephony: core.TelephonyDeps,
  tenantId: string,
  e164: string,
  ourAddress: string,
): Promise<DialRoute[]> {
  const trunks = (await telephony.trunks.listTrunks(tenantId)).filter((t) => t.enabled && t.outbound !== null);
  const routes: DialRoute[] = [];
  for (const trunk of trunks) {
    const out = trunk.outbound;
    if (!out) continue;
    const host = out.host.includes(":") ? `[${out.host}]` : out.host;
    let callerId: string | undefined;
    if (out.callerIdPolicy.kind === "fixed") callerId = out.callerIdPolicy.e164;
    if (out.callerIdPolicy.kind === "tenant-number")
      callerId = (await telephony.phoneNumbers.listPhoneNumbers(tenantId))[0]?.e164;
    routes.push({
      uri: `sip:${e164}@${host}:${out.port};transport=${out.transport}`,
      ...(out.digest ? { credentials: { username: out.digest.username, password: out.digest.password } } : {}),
      ...(callerId ? { from: `sip:${callerId}@${ourAddress}` } : {}),
    });
  }
  return routes;
}

/**
 * Renders prompts, and when text-to-speech is unavailable (espeak-ng missing) plays a short tone in place
 * of the words, once logged, rather than failing the call.
 */
class ToneFallbackRenderer implements core.PromptRenderer {
  private warned = false;

  constructor(
    private readonly inner: SpeechPromptRenderer,
    private readonly logger: { warn(data: object, message: string): void },
  ) {}

  forTenant(tenantId: string): core.PromptRenderer {
    return new ToneFallbackRenderer(this.inner.forTenant(tenantId), this.logger);
  }

  async render(prompt: core.Prompt): Promise<core.Audio> {
    try {
      return await this.inner.render(prompt);
    } catch (error) {
      if (!(error instanceof core.DomainError) || error.code !== "speech.unavailable") throw error;
      if (!this.warned) {
        this.warned = true;
        this.logger.warn({ err: error }, "text-to-speech is unavailable (install espeak-ng): callers hear tones instead");
      }
      return this.inner.render({ kind: "tone", frequencies: [660], durationMs: 300 });
    }
  }
}

/**
 * The flow engine's ports on the SIP side: phone calls wait in the routing engine's queues (agents' phones
 * ring on offers), people are reached by their SIP accounts' extensions, time is the system's.
 */
function callFlowDeps(
  stores: CallFlowStores,
  sip: {
    dialer: core.Dialer;
    mixer: core.MediaMixer;
    parking: core.ParkingLot;
    recordings: core.RecordingStore;
    ids: core.IdGenerator;
    logger: { error(data: object, message: string): void; warn(data: object, message: string): void };
  },
): Omit<core.CallFlowDeps, "onResult"> {
  const router: core.CallRouting = new core.CallRouting({
    lane: stores.lane((tenantId, event) => router.handle(tenantId, event)),
    dialer: sip.dialer,
    clock: core.systemClock,
    ids: sip.ids,
    onError: (error) => sip.logger.error({ err: error }, "routing a phone call failed"),
  });
  return {
    dialer: sip.dialer,
    mixer: sip.mixer,
    parking: sip.parking,
    recordings: sip.recordings,
    clock: core.systemClock,
    timers: systemFlowTimers,
    ids: sip.ids,
    autoAttendants: stores.autoAttendants,
    queues: stores.queues,
    voicemail: stores.voicemail,
    directory: sipDirectory(stores),
    router,
    pins: stores.passwords,
    ...(stores.recognizer ? { recognizer: stores.recognizer } : {}),
    ...(stores.transcriber
      ? {
          transcription: {
            transcriber: stores.transcriber,
            recordings: sip.recordings,
            onError: (error: unknown, message: core.VoicemailMessage) =>
              sip.logger.warn(
                { err: error, messageId: message.id, callId: message.callId },
                "voicemail left without a transcript",
              ),
          },
        }
      : {}),
    ...(stores.onVoicemail ? { onVoicemail: stores.onVoicemail } : {}),
  };
}

/**
 * The offline recognizer for spoken menu options and names, when its model is installed (Debian's
 * pocketsphinx-en-us); without it menus are keypad only, and the log says why.
 */
async function offlineRecognizer(logger: {
  info(data: object, message: string): void;
}): Promise<PocketsphinxRecognizer | undefined> {
  const recognizer = new PocketsphinxRecognizer();
  try {
    // Silence is never decoded: this only checks that the model is there.
    await recognizer.recognize(new Int16Array(160), { choices: [{ id: "probe", phrases: ["yes"] }] });
    return recognizer;
  } catch (error) {
    await recognizer.close();
    logger.info({ err: error }, "speech recognition is not installed: menus take keys only");
    return undefined;
  }
}

/**
 * The offline transcriber for voicemail messages, when its models are installed (Debian's
 * pocketsphinx-en-us); without it messages keep no transcript, and the log says why.
 */
async function offlineTranscriber(logger: {
  info(data: object, message: string): void;
}): Promise<PocketsphinxTranscriber | undefined> {
  const transcriber = new PocketsphinxTranscriber();
  try {
    // Silence is never decoded: this only checks that the models are there.
    await transcriber.transcribe(new Int16Array(160));
    return transcriber;
  } catch (error) {
    logger.info({ err: error }, "speech recognition is not installed: voicemail messages are not transcribed");
    return undefined;
  }
}
