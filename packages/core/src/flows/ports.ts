import type { CallLegMedia } from "../calls/media.js";
import type { ExceptionKind } from "../routing/model.js";
import type { AutoAttendant, CallTarget, Mailbox, VoicemailMessage } from "./model.js";

/** Auto attendants with every published version (a call in progress keeps the one it started with). */
export interface AutoAttendantStore {
  /** Version 1; fails with `auto_attendant.name_taken` or `tenant.not_found`. */
  createAutoAttendant(attendant: AutoAttendant): Promise<AutoAttendant>;
  /**
   * Publishes `attendant` (whose `version` is one more than the stored one) and keeps the previous
   * version; fails with `auto_attendant.not_found`, `auto_attendant.name_taken`, or
   * `auto_attendant.version_conflict` when another change was published in between.
   */
  updateAutoAttendant(attendant: AutoAttendant): Promise<AutoAttendant>;
  deleteAutoAttendant(tenantId: string, id: string): Promise<boolean>;
  /** The current version. */
  getAutoAttendant(tenantId: string, id: string): Promise<AutoAttendant | undefined>;
  getAutoAttendantVersion(tenantId: string, id: string, version: number): Promise<AutoAttendant | undefined>;
  /** By name. */
  listAutoAttendants(tenantId: string): Promise<readonly AutoAttendant[]>;
}

/** Voicemail boxes and their messages. */
export interface VoicemailStore {
  /** Fails with `mailbox.name_taken`, `mailbox.owner_taken` (a user has one personal mailbox) or `tenant.not_found`. */
  createMailbox(mailbox: Mailbox): Promise<Mailbox>;
  /** Replaces everything but `createdAt`; fails with `mailbox.not_found` or either `*_taken`. */
  updateMailbox(mailbox: Mailbox): Promise<Mailbox>;
  /** Deletes the mailbox and its messages. */
  deleteMailbox(tenantId: string, id: string): Promise<boolean>;
  getMailbox(tenantId: string, id: string): Promise<Mailbox | undefined>;
  findMailboxByOwner(tenantId: string, userId: string): Promise<Mailbox | undefined>;
  /** By name. */
  listMailboxes(tenantId: string): Promise<readonly Mailbox[]>;
  addMessage(message: VoicemailMessage): Promise<VoicemailMessage>;
  getMessage(tenantId: string, id: string): Promise<VoicemailMessage | undefined>;
  /** Oldest first. */
  listMessages(tenantId: string, mailboxId: string): Promise<readonly VoicemailMessage[]>;
  updateMessage(message: VoicemailMessage): Promise<VoicemailMessage>;
  /**
   * Keeps the message's transcript, changing nothing else (the message may be marked heard meanwhile);
   * undefined when the message is gone (deleted while it was transcribed).
   */
  setTranscript(tenantId: string, messageId: string, transcript: string | null): Promise<VoicemailMessage | undefined>;
  deleteMessage(tenantId: string, id: string): Promise<boolean>;
}

/** Someone a caller can reach by extension, by name on the keypad or by voice. */
export interface DirectoryEntry {
  readonly extension: string;
  readonly name: string;
  /** The console user behind the extension (their personal mailbox), if any. */
  readonly userId: string | null;
  /**
   * The user's identity (the routing engine's worker), which may control the calls their phone takes; given
   * by `find` (a list for dialling by name does not need it).
   */
  readonly identityId?: string | null;
}

export interface Directory {
  /** The tenant's people with an extension, by extension. */
  list(tenantId: string): Promise<readonly DirectoryEntry[]>;
  /** The person at one extension, with their identity: an indexed lookup (a call per person step or transfer). */
  find(tenantId: string, extension: string): Promise<DirectoryEntry | undefined>;
}

/** Waits, cancellably; tests advance a manual clock instead of waiting. */
export interface FlowTimers {
  /** Settles after `ms`; `cancel` leaves it pending forever and frees its timer. */
  sleep(ms: number): { readonly done: Promise<void>; cancel(): void };
}

/** How waiting in a call queue ended. */
export type QueueOutcome =
  /** An agent answered, on a desktop or a phone (and the routing engine assigned the call to them). */
  | {
      readonly kind: "answered";
      readonly leg: CallLegMedia;
      readonly workerId: string;
      /** The extension of the agent's phone that answered; none when a desktop did. */
      readonly extension?: string;
      readonly waitedMs: number;
    }
  /** An exception (overflow, timeout, no agents) sent the call on. */
  | { readonly kind: "redirected"; readonly exception: ExceptionKind; readonly target: CallTarget; readonly waitedMs: number }
  /** The queue could not take the call at all (gone, or a target calls cannot use). */
  | { readonly kind: "failed"; readonly reason: string; readonly waitedMs: number };

/** A call waiting in a call queue. */
export interface QueuedCall {
  /** The queue the call waits in now (an exception may move it to another; its answer counts there). */
  readonly queueId: string;
  /** Settles once: answered, redirected or failed (not when the caller hangs up: `abandon` says so). */
  readonly outcome: Promise<QueueOutcome>;
  /** Where the caller stands now: 1 is next; null when no longer waiting. */
  position(): number | null;
  /** The expected wait from now, in seconds, from recent answers in the queue; null when unknown. */
  expectedWaitSeconds(): number | null;
  /** The caller hung up while waiting: the job is cancelled, a ringing phone stops. */
  abandon(): Promise<void>;
  /** The answered call ended: the agent's job completes (their wrap-up starts). */
  complete(): Promise<void>;
  /** An exception moved the waiting call to another queue (it keeps waiting there, its place in line kept). */
  onMoved(listener: (move: { exception: ExceptionKind; from: string; to: string; waitedMs: number }) => void): void;
}

/** Puts calls in the routing engine's line: agents get offers, their phones ring for the alert time. */
export interface CallRouter {
  enqueue(call: {
    readonly tenantId: string;
    readonly callId: string;
    readonly queueId: string;
    /** The caller as presented to the agent's phone. */
    readonly caller: string;
  }): Promise<QueuedCall>;
}
