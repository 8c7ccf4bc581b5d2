/**
 * Call flows as data: auto attendants, call queues' caller experience, voicemail boxes. One engine
 * (`engine.ts`) interprets them over the media ports; the admin edits them as configuration, validated
 * before they are published (`validate.ts`). See README.md in this folder.
 */
import type { Key, Prompt } from "../calls/media.js";
import type { RedirectTarget } from "../routing/model.js";

/**
 * Where a call goes (RD1-RD5), one type for auto attendants and call queues: hang up (with an optional
 * message), a person by extension (their phone rings, then their voicemail), another auto attendant, a
 * call queue (a queue, by id), an external number through an outbound trunk, a shared voicemail box.
 * The routing engine's exits use the same kinds, so a queue's overflow, timeout and no-agents
 * redirects are call targets too.
 */
export type CallTarget = Extract<
  RedirectTarget,
  { kind: "disconnect" | "person" | "auto_attendant" | "queue" | "external_number" | "voicemail" }
>;

export const CALL_TARGET_KINDS = ["disconnect", "person", "auto_attendant", "queue", "external_number", "voicemail"] as const;

export const isCallTarget = (target: RedirectTarget): target is CallTarget =>
  (CALL_TARGET_KINDS as readonly string[]).includes(target.kind);

/** What a flow says: text spoken by text-to-speech, or an uploaded or recorded audio file. */
export type Announcement = Extract<Prompt, { kind: "speech" | "recording" }>;

/** `HH:MM` to `HH:MM` local time, the end excluded; `24:00` ends at midnight. */
export type TimeRange = readonly [from: string, to: string];

/**
 * When a business is open, in its time zone: hours per weekday (`"0"` Sunday to `"6"` Saturday; a day
 * without hours is closed all day), and holidays (local dates, closed all day whatever the weekday).
 */
export interface Schedule {
  readonly timeZone: string;
  readonly weekly: Readonly<Record<string, readonly TimeRange[]>>;
  readonly holidays: readonly Holiday[];
}

export interface Holiday {
  /** `YYYY-MM-DD`, local. */
  readonly date: string;
  readonly name: string;
}

/** Which of an attendant's flows answers a call now. */
export type SchedulePeriod = "business_hours" | "after_hours" | "holiday";

/** What a menu key (or the words that name it) does. */
export type MenuAction =
  | { readonly kind: "redirect"; readonly target: CallTarget }
  /** Say something, then offer the menu again. */
  | { readonly kind: "announcement"; readonly announcement: Announcement }
  | { readonly kind: "repeat" }
  /** Back to the menu this one was reached from (the top menu repeats). */
  | { readonly kind: "back" }
  | { readonly kind: "submenu"; readonly menu: Menu }
  | { readonly kind: "operator" }
  /** Dial an extension: the caller keys it in, `#` ends. */
  | { readonly kind: "dial_by_extension" }
  /** Dial by name: letters on the keypad (or the name said), `#` ends; several matches are read back. */
  | { readonly kind: "dial_by_name" }
  /** The voicemail menu: a mailbox's owner logs in with extension and PIN to hear their messages. */
  | { readonly kind: "voicemail_login" };

export interface MenuOption {
  readonly key: Key;
  /** Words a caller may say instead of pressing the key ("sales"); empty: keypad only. */
  readonly phrases: readonly string[];
  readonly action: MenuAction;
}

export interface Menu {
  /** What the caller hears, listing the options; a key interrupts it. */
  readonly prompt: Announcement;
  readonly options: readonly MenuOption[];
}

/** Retries, then a target, for a caller who says or presses nothing, or something the menu does not have. */
export interface InputPolicy {
  /** How many times the menu is offered again (0-5) before the target. */
  readonly retries: number;
  readonly target: CallTarget;
}

/** What answers the call in one period: a greeting, then a menu, or straight to a target. */
export interface AttendantFlow {
  readonly greeting: Announcement | null;
  /** Null: no menu, the call goes to `target` after the greeting. */
  readonly menu: Menu | null;
  /** Where the call goes after the greeting when there is no menu. */
  readonly target: CallTarget | null;
}

/** What an admin writes: an auto attendant (AA1-AA7). */
export interface AutoAttendantSettings {
  readonly name: string;
  /** The voice prompts are spoken in (text-to-speech); null: the default. */
  readonly voice: string | null;
  /** Null: always business hours. */
  readonly schedule: Schedule | null;
  readonly businessHours: AttendantFlow;
  /** Null: business hours' flow around the clock when no schedule is set, else a short "closed" message. */
  readonly afterHours: AttendantFlow | null;
  /** Null: the after-hours flow on holidays. */
  readonly holiday: AttendantFlow | null;
  /** Where `0` and the `operator` action go (usually a person or a queue); null: no operator. */
  readonly operator: CallTarget | null;
  /** Menus accept spoken options and names when a speech recognizer is available. */
  readonly speechInput: boolean;
  readonly noInput: InputPolicy;
  readonly invalidInput: InputPolicy;
}

/**
 * An auto attendant as published: every save publishes a new version (validated first); a call keeps
 * the version it started with, so a change never alters a call in progress.
 */
export interface AutoAttendant extends AutoAttendantSettings {
  readonly id: string;
  readonly tenantId: string;
  /** 1 for the first publication, then one more for each change. */
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** What a phone caller waiting in a call queue hears, and how the agent is connected (CQ1-CQ4). */
export interface CallQueueSettings {
  /** Said once when the caller arrives. */
  readonly greeting: Announcement | null;
  /** Music on hold: an uploaded recording; null: the default track shipped with Switchboard. */
  readonly music: Announcement | null;
  /** Every N seconds (10-600; 0: never) the caller hears their position and/or the expected wait. */
  readonly announceEverySeconds: number;
  readonly announcePosition: boolean;
  readonly announceExpectedWait: boolean;
  /** On: the agent joins the caller in a conference (so an expert can be added); off: a bridge. */
  readonly conferenceMode: boolean;
  /** Record answered calls after a consent announcement. */
  readonly recording: { readonly enabled: boolean; readonly consent: Announcement | null };
}

export const defaultCallQueueSettings = (): CallQueueSettings => ({
  greeting: null,
  music: null,
  announceEverySeconds: 30,
  announcePosition: true,
  announceExpectedWait: true,
  conferenceMode: false,
  recording: { enabled: false, consent: null },
});

/** A voicemail box: a user's own, or a shared one (a team's) that redirects can target. */
export interface Mailbox {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  /** The user whose personal mailbox it is; null: a shared mailbox. */
  readonly ownerUserId: string | null;
  /** Said before the beep; null: "Please leave a message after the tone." with the mailbox name. */
  readonly greeting: Announcement | null;
  /** The longest message, 10-600 s. */
  readonly maxMessageSeconds: number;
  /** scrypt hash of the PIN for listening by phone; null: not by phone. */
  readonly pinHash: string | null;
  /** Who is told of a new message by email (when SMTP is configured). */
  readonly notifyEmails: readonly string[];
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface VoicemailMessage {
  readonly id: string;
  readonly tenantId: string;
  readonly mailboxId: string;
  readonly callId: string;
  /** The caller as presented (number or extension). */
  readonly caller: string;
  readonly recordingId: string;
  readonly durationMs: number;
  /** Text of the message, when speech recognition transcribed it. */
  readonly transcript: string | null;
  readonly heard: boolean;
  readonly createdAt: Date;
}

/** How a call left an auto attendant, in the reports' vocabulary (AA results). */
export type AttendantResult =
  | "transferred_to_user"
  | "transferred_to_operator"
  | "transferred_to_queue"
  | "transferred_to_attendant"
  | "transferred_to_number"
  | "shared_voicemail"
  | "caller_hung_up"
  | "no_input"
  | "invalid_input"
  | "disconnected"
  | "voicemail_menu"
  | "failed";

/** How a call left a call queue (CQ results). */
export type QueueResult = "answered" | "overflowed" | "timed_out" | "no_agents" | "abandoned" | "failed";

/** One step of a call through its flows, recorded for reporting (`flow.*` call events). */
export type FlowResult =
  | {
      readonly kind: "auto_attendant";
      readonly autoAttendantId: string;
      readonly version: number;
      readonly period: SchedulePeriod;
      readonly result: AttendantResult;
      /** Keys or words the caller chose, in order. */
      readonly path: readonly string[];
      readonly target: CallTarget | null;
    }
  | {
      readonly kind: "call_queue";
      readonly queueId: string;
      readonly result: QueueResult;
      readonly waitedMs: number;
      readonly workerId: string | null;
      /** Where the exception sent the call (overflowed, timed out, no agents). */
      readonly target: CallTarget | null;
    }
  | {
      readonly kind: "person";
      readonly extension: string;
      readonly result: "answered" | "voicemail" | "unavailable" | "caller_hung_up";
    }
  | {
      readonly kind: "external_number";
      readonly e164: string;
      readonly result: "answered" | "failed" | "caller_hung_up";
    }
  | {
      readonly kind: "voicemail";
      readonly mailboxId: string;
      readonly result: "message_left" | "no_message" | "caller_hung_up";
      readonly messageId: string | null;
    };
