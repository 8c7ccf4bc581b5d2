import type { ParticipantTarget, TransferTarget } from "@switchboard/protocol";
import {
  CallingClient,
  CallingError,
  type CallingSnapshot,
  type CallStats,
  type RealtimeClient,
  type SwitchboardClient,
  type WebCall,
} from "@switchboard/sdk";
import { useCallback, useEffect, useState, useSyncExternalStore } from "react";
import { describeError } from "../../shell/errors/describe-error.js";
import { activeCall } from "./call-state.js";

/** How often the connected call's quality is read. */
const STATS_EVERY_MS = 2000;

const EMPTY: CallingSnapshot = { registration: "off", calls: [] };

export interface Microphone {
  readonly deviceId: string;
  readonly label: string;
}

export interface Calling {
  readonly snapshot: CallingSnapshot;
  /** The call being answered or connected. */
  readonly active: WebCall | undefined;
  /** The active call's latest quality figures. */
  readonly stats: CallStats | undefined;
  /** Something the agent must read (the microphone refused, a failed answer or hold). */
  readonly alert: string | undefined;
  /** The last call that ended after it was answered or refused here: a short summary shows. */
  readonly lastEnded: WebCall | undefined;
  readonly microphones: readonly Microphone[];
  readonly inputDeviceId: string | undefined;
  /** Answers the ringing call; false when it could not be (the alert says why). */
  answer(legId: string): Promise<boolean>;
  reject(legId: string): void;
  /** Calls a colleague's extension or a number from this browser; false when it could not (the alert says why). */
  place(to: string): Promise<boolean>;
  hangup(): void;
  setMuted(muted: boolean): void;
  sendDtmf(key: string): void;
  hold(held: boolean): Promise<void>;
  /**
   * Hands the caller to someone else (blind): a colleague's extension, a number, a queue. The agent's leg then
   * ends. Resolves with what to tell the agent when it did not work, or undefined when it did.
   */
  transfer(target: TransferTarget, mode?: "blind" | "consult"): Promise<string | undefined>;
  /** A consult transfer under way: whom, and whether they answered yet. */
  readonly consultation: { readonly target: string; readonly state: "ringing" | "talking" } | undefined;
  /** Ends the consultation: the target takes the caller, all three talk, or back to the caller. */
  finishConsultation(action: "complete" | "merge" | "cancel"): Promise<void>;
  /** Brings an expert into the call (a three-way call); resolves with what went wrong, or undefined. */
  addParticipant(target: ParticipantTarget): Promise<string | undefined>;
  /** Whether someone may be added (the queue's conference mode), as the server said; true until known. */
  readonly participantsAllowed: boolean;
  /** Whether the connected call is being recorded (as the server said). */
  readonly recording: "off" | "on" | "paused";
  /** Starts recording (the caller hears the consent announcement first) or stops it. */
  record(on: boolean): Promise<void>;
  setInputDevice(deviceId: string): Promise<void>;
  dismissAlert(): void;
  dismissEnded(): void;
}

/**
 * Web calling on the agent desktop: a `CallingClient` over the desk's socket, registered for as long as the
 * desk is open, so calls offered to the agent ring this browser as well as any desk phone.
 */
export function useCalling(socket: RealtimeClient | undefined, client: SwitchboardClient): Calling {
  const [calling, setCalling] = useState<CallingClient | undefined>(undefined);
  const [alert, setAlert] = useState<string | undefined>(undefined);
  const [lastEnded, setLastEnded] = useState<WebCall | undefined>(undefined);
  const [stats, setStats] = useState<CallStats | undefined>(undefined);
  const [microphones, setMicrophones] = useState<readonly Microphone[]>([]);
  const [inputDeviceId, setInputDeviceId] = useState<string | undefined>(undefined);
  const [recording, setRecording] = useState<"off" | "on" | "paused">("off");
  const [participantsAllowed, setParticipantsAllowed] = useState(true);
  const [consultation, setConsultation] = useState<Calling["consultation"]>(undefined);

  useEffect(() => {
    if (!socket) return;
    const next = new CallingClient({ realtime: socket, client });
    const offs = [
      next.on("ended", (call) => {
        // Calls that only rang here and went elsewhere need no summary: the offer's own notice says enough.
        // A call the agent placed says how it went even when it never got through (busy, no answer).
        if (call.connectedAt !== undefined || call.direction === "outgoing") setLastEnded(call);
      }),
      next.on("error", (error) => console.error("calling", error)),
    ];
    setCalling(next);
    void next.register().catch(() => {});
    return () => {
      for (const off of offs) off();
      next.close();
      setCalling(undefined);
    };
  }, [socket, client]);

  const subscribe = useCallback((onChange: () => void) => calling?.on("change", onChange) ?? (() => {}), [calling]);
  const snapshot = useSyncExternalStore(
    subscribe,
    () => calling?.snapshot ?? EMPTY,
    () => EMPTY,
  );
  const active = activeCall(snapshot.calls);
  const connectedLeg = active?.phase === "connected" ? active.legId : undefined;

  // Whether the call is recorded already (a queue that records its calls): read once it is connected.
  const connectedCall = active?.phase === "connected" ? active.callId : undefined;
  useEffect(() => {
    setRecording("off");
    setParticipantsAllowed(true);
    setConsultation(undefined);
    if (!connectedCall) return;
    let stopped = false;
    client.telephony.liveCalls.get(connectedCall).then(
      (live) => {
        if (stopped) return;
        setRecording(live.recording);
        setParticipantsAllowed(live.participantsAllowed);
      },
      () => {},
    );
    return () => {
      stopped = true;
    };
  }, [client, connectedCall]);

  // The line's quality while connected, and the microphones once the page may name them.
  useEffect(() => {
    setStats(undefined);
    if (!calling || !connectedLeg) return;
    let stopped = false;
    const read = () => {
      calling.stats(connectedLeg).then(
        (s) => {
          if (!stopped && s) setStats(s);
        },
        () => {},
      );
    };
    read();
    const timer = globalThis.setInterval(read, STATS_EVERY_MS);
    const listDevices = () => {
      calling.listDevices().then(
        (list) => {
          if (!stopped) setMicrophones(list);
        },
        () => {},
      );
    };
    listDevices();
    globalThis.navigator?.mediaDevices?.addEventListener?.("devicechange", listDevices);
    return () => {
      stopped = true;
      globalThis.clearInterval(timer);
      globalThis.navigator?.mediaDevices?.removeEventListener?.("devicechange", listDevices);
    };
  }, [calling, connectedLeg]);

  const answer = useCallback(
    async (legId: string) => {
      if (!calling) return false;
      setAlert(undefined);
      setLastEnded(undefined);
      try {
        await calling.answer(legId);
        setInputDeviceId(calling.inputDeviceId);
        return true;
      } catch (error) {
        setAlert(messageOf(error));
        return false;
      }
    },
    [calling],
  );

  const guard = useCallback((act: () => void) => {
    try {
      act();
    } catch (error) {
      setAlert(messageOf(error));
    }
  }, []);

  return {
    snapshot,
    active,
    stats,
    alert,
    lastEnded,
    microphones,
    inputDeviceId,
    answer,
    reject: useCallback((legId: string) => guard(() => calling?.reject(legId)), [calling, guard]),
    place: useCallback(
      async (to: string) => {
        if (!calling) return false;
        setAlert(undefined);
        setLastEnded(undefined);
        try {
          await calling.place(to);
          setInputDeviceId(calling.inputDeviceId);
          return true;
        } catch (error) {
          // A call that rang and ended (busy, no answer) says so in the ended summary; refusals come here.
          if (!(error instanceof CallingError && error.code === "call_ended")) setAlert(messageOf(error));
          return false;
        }
      },
      [calling],
    ),
    hangup: useCallback(() => guard(() => calling?.hangup()), [calling, guard]),
    setMuted: useCallback((muted: boolean) => guard(() => calling?.setMuted(muted)), [calling, guard]),
    sendDtmf: useCallback((key: string) => guard(() => calling?.sendDtmf(key)), [calling, guard]),
    hold: useCallback(
      async (held: boolean) => {
        if (!calling) return;
        try {
          await calling.hold(held);
        } catch (error) {
          setAlert(held ? `Could not put the caller on hold: ${messageOf(error)}` : `Could not resume: ${messageOf(error)}`);
        }
      },
      [calling],
    ),
    recording,
    participantsAllowed,
    record: useCallback(
      async (on: boolean) => {
        const callId = active?.callId;
        if (!callId) return;
        try {
          const result = await client.telephony.liveCalls.record(callId, on ? "start" : "stop");
          setRecording(result.recording);
        } catch (error) {
          setAlert(on ? `Could not record: ${messageOf(error)}` : `Could not stop recording: ${messageOf(error)}`);
        }
      },
      [client, active?.callId],
    ),
    addParticipant: useCallback(
      async (target: ParticipantTarget) => {
        const callId = active?.callId;
        if (!callId) return "There is no call to add to.";
        try {
          const result = await client.telephony.liveCalls.addParticipant(callId, target);
          return result.outcome === "failed" ? "Nobody answered there: the call goes on as before." : undefined;
        } catch (error) {
          return messageOf(error);
        }
      },
      [client, active?.callId],
    ),
    transfer: useCallback(
      async (target: TransferTarget, mode: "blind" | "consult" = "blind") => {
        const callId = active?.callId;
        if (!callId) return "There is no call to transfer.";
        // Consulting: the caller hears music while the agent talks to the target first.
        if (mode === "consult") setConsultation({ target: targetLabel(target), state: "ringing" });
        try {
          const result = await client.telephony.liveCalls.transfer(callId, target, mode);
          if (result.outcome === "failed") {
            setConsultation(undefined);
            return "Nobody answered there: the caller is still with you.";
          }
          if (mode === "consult") setConsultation({ target: targetLabel(target), state: "talking" });
          return undefined;
        } catch (error) {
          setConsultation(undefined);
          return messageOf(error);
        }
      },
      [client, active?.callId],
    ),
    consultation,
    finishConsultation: useCallback(
      async (action: "complete" | "merge" | "cancel") => {
        const callId = active?.callId;
        if (!callId) return;
        try {
          await client.telephony.liveCalls.consultation(callId, action);
          setConsultation(undefined);
        } catch (error) {
          setAlert(messageOf(error));
        }
      },
      [client, active?.callId],
    ),
    setInputDevice: useCallback(
      async (deviceId: string) => {
        if (!calling) return;
        try {
          await calling.setInputDevice(deviceId);
          setInputDeviceId(deviceId);
        } catch (error) {
          setAlert(messageOf(error));
        }
      },
      [calling],
    ),
    dismissAlert: useCallback(() => setAlert(undefined), []),
    dismissEnded: useCallback(() => setLastEnded(undefined), []),
  };
}

/** A transfer target as the agent typed or picked it. */
function targetLabel(target: TransferTarget): string {
  switch (target.kind) {
    case "person":
      return target.extension;
    case "external_number":
      return target.number;
    default:
      return "the target";
  }
}

function messageOf(error: unknown): string {
  // The calling client's own errors are written for the agent already.
  if (error instanceof CallingError) return error.message;
  const { title, detail } = describeError(error);
  return detail ? `${title}: ${detail}` : title;
}
