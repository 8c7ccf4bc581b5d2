import { z } from "zod";
import { Id, pageOf, Timestamp } from "./common.js";

/*
 * Call flows: auto attendants (greeting, schedule, menus, operator), what a call queue's callers hear,
 * voicemail boxes and their messages. Like telephony's, these schemas bound sizes; the server checks
 * formats and meaning (keys, times, time zones, targets that exist) and answers with the fields at fault
 * (`auto_attendant.invalid` with `businessHours.menu.options.2.key`, ...).
 */

/** What a flow says: text spoken by text-to-speech, or an uploaded or recorded audio file. */
export const Announcement = z
  .discriminatedUnion("kind", [
    z.object({
      kind: z.literal("speech"),
      text: z.string().max(2000),
      voice: z.string().max(100).optional().describe("A text-to-speech voice; left out: the attendant's or the default"),
    }),
    z.object({ kind: z.literal("recording"), recordingId: Id.describe("A recording made on a call or uploaded") }),
  ])
  .meta({ id: "Announcement" });
export type Announcement = z.infer<typeof Announcement>;

/** The call kinds of redirect targets, one schema each: `RedirectTarget` (routing) uses them too. */
export const DisconnectTarget = z
  .object({
    kind: z.literal("disconnect"),
    message: z.string().max(2000).optional().describe("Said before hanging up"),
  })
  .describe("Hang up");
export const PersonTarget = z
  .object({ kind: z.literal("person"), extension: z.string().max(8).describe("2 to 8 digits") })
  .describe("A person by extension: their phone rings, then their voicemail");
export const AutoAttendantTarget = z.object({ kind: z.literal("auto_attendant"), autoAttendantId: Id });
export const CallQueueTarget = z.object({ kind: z.literal("queue"), queueId: Id }).describe("A call queue");
export const ExternalNumberTarget = z
  .object({ kind: z.literal("external_number"), number: z.string().max(32).describe("E.164, e.g. `+14155550100`") })
  .describe("An external number, through an outbound trunk");
export const VoicemailTarget = z
  .object({ kind: z.literal("voicemail"), mailboxId: Id })
  .describe("A mailbox (usually a shared one): the caller leaves a message");

/** Where a call goes (RD1-RD5): one type for auto attendants and call queues. */
export const CallTarget = z
  .discriminatedUnion("kind", [
    DisconnectTarget,
    PersonTarget,
    AutoAttendantTarget,
    CallQueueTarget,
    ExternalNumberTarget,
    VoicemailTarget,
  ])
  .meta({ id: "CallTarget" });
export type CallTarget = z.infer<typeof CallTarget>;

export const TimeRange = z
  .tuple([z.string().max(5), z.string().max(5)])
  .describe('`["HH:MM", "HH:MM"]` local time, the end excluded; `"24:00"` ends at midnight');

export const Schedule = z
  .object({
    timeZone: z.string().max(64).describe("IANA time zone, e.g. `America/New_York`"),
    weekly: z
      .record(z.string().max(1), z.array(TimeRange).max(24))
      .describe('Opening hours per weekday, `"0"` (Sunday) to `"6"` (Saturday); a day left out is closed all day'),
    holidays: z
      .array(z.object({ date: z.string().max(10).describe("YYYY-MM-DD, local"), name: z.string().max(100).default("") }))
      .max(366)
      .default([])
      .describe("Closed all day, whatever the weekday"),
  })
  .meta({ id: "Schedule" });
export type Schedule = z.infer<typeof Schedule>;

export const MenuKey = z.enum(["1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "*", "#"]).describe("A keypad key: 0-9, * or #");
export type MenuKey = z.infer<typeof MenuKey>;

/** A menu as the server returns it (defaults filled in). */
export interface Menu {
  prompt: Announcement;
  options: MenuOption[];
}
export interface MenuOption {
  key: MenuKey;
  phrases: string[];
  action: MenuAction;
}
export type MenuAction =
  | { kind: "redirect"; target: CallTarget }
  | { kind: "announcement"; announcement: Announcement }
  | { kind: "submenu"; menu: Menu }
  | { kind: "repeat" | "back" | "operator" | "dial_by_extension" | "dial_by_name" | "voicemail_login" };

/** A menu as a client may send it: an option's phrases may be left out. */
export interface MenuInput {
  prompt: Announcement;
  options: MenuOptionInput[];
}
export interface MenuOptionInput {
  key: MenuKey;
  phrases?: string[] | undefined;
  action: MenuActionInput;
}
export type MenuActionInput = Exclude<MenuAction, { kind: "submenu" }> | { kind: "submenu"; menu: MenuInput };

/** A menu: its prompt lists the options; a key (or, with speech input, an option's words) chooses one. Submenus nest. */
export const Menu: z.ZodType<Menu, MenuInput> = z
  .lazy(() =>
    z.object({
      prompt: Announcement.describe("What the caller hears, listing the options; a key interrupts it"),
      options: z.array(MenuOption).max(12),
    }),
  )
  .meta({ id: "Menu" });

export const MenuAction: z.ZodType<MenuAction, MenuActionInput> = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("redirect"), target: CallTarget }),
  z.object({ kind: z.literal("announcement"), announcement: Announcement }).describe("Say something, then the menu again"),
  z.object({ kind: z.literal("submenu"), menu: Menu }),
  z.object({ kind: z.literal("repeat") }),
  z.object({ kind: z.literal("back") }).describe("Back to the menu this one was reached from"),
  z.object({ kind: z.literal("operator") }).describe("To the attendant's operator"),
  z.object({ kind: z.literal("dial_by_extension") }),
  z.object({ kind: z.literal("dial_by_name") }),
  z.object({ kind: z.literal("voicemail_login") }).describe("The mailbox menu: extension and PIN, then the messages"),
]);

export const MenuOption: z.ZodType<MenuOption, MenuOptionInput> = z.object({
  key: MenuKey,
  phrases: z
    .array(z.string().max(60))
    .max(10)
    .default([])
    .describe("Lower-case words a caller may say instead of pressing the key (`sales`); empty: keypad only"),
  action: MenuAction,
});

/** What answers in one period: a greeting, then a menu, or straight to a target. */
export const AttendantFlow = z
  .object({
    greeting: Announcement.nullable().default(null),
    menu: Menu.nullable().default(null).describe("null: no menu, the call goes to `target` after the greeting"),
    target: CallTarget.nullable().default(null).describe("Where the call goes after the greeting when there is no menu"),
  })
  .meta({ id: "AttendantFlow" });
export type AttendantFlow = z.infer<typeof AttendantFlow>;

export const InputPolicy = z
  .object({
    retries: z.number().int().min(0).max(5).describe("How many times the menu is offered again before the target"),
    target: CallTarget,
  })
  .meta({ id: "InputPolicy" });
export type InputPolicy = z.infer<typeof InputPolicy>;

const defaultInputPolicy = (): InputPolicy => ({ retries: 2, target: { kind: "disconnect" } });

export const AutoAttendantInput = z.object({
  name: z.string().max(100).describe("Unique in the tenant"),
  voice: z.string().max(100).nullable().default(null).describe("The text-to-speech voice of its prompts; null: the default"),
  schedule: Schedule.nullable().default(null).describe("null: business hours around the clock"),
  businessHours: AttendantFlow,
  afterHours: AttendantFlow.nullable()
    .default(null)
    .describe("null: a short closed message (or business hours without a schedule)"),
  holiday: AttendantFlow.nullable().default(null).describe("null: the after-hours flow"),
  operator: CallTarget.nullable().default(null).describe("Where `0` and the `operator` action go; null: no operator"),
  speechInput: z.boolean().default(false).describe("Menus accept spoken options and names when speech recognition is available"),
  noInput: InputPolicy.default(defaultInputPolicy).describe("For a caller who presses or says nothing"),
  invalidInput: InputPolicy.default(defaultInputPolicy).describe("For a caller who chooses what the menu does not have"),
});
export type AutoAttendantInput = z.input<typeof AutoAttendantInput>;

/** Publishing a change: the whole configuration, and optionally the version it was made from. */
export const AutoAttendantPublish = AutoAttendantInput.extend({
  expectedVersion: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe("The version the change was made from: 409 `auto_attendant.version_conflict` if another was published since"),
});
export type AutoAttendantPublish = z.input<typeof AutoAttendantPublish>;

export const AutoAttendant = AutoAttendantInput.extend({
  id: Id,
  version: z.number().int().describe("1 when created, one more for each published change"),
  createdAt: Timestamp,
  updatedAt: Timestamp.describe("When this version was published"),
}).meta({ id: "AutoAttendant" });
export type AutoAttendant = z.infer<typeof AutoAttendant>;

export const AutoAttendantVersionParams = z.object({ id: Id, version: z.coerce.number().int().min(1) });

/** What a phone caller waiting in a call queue hears, and how the agent is connected. */
export const CallQueueSettings = z
  .object({
    greeting: Announcement.nullable().default(null).describe("Said once when the caller arrives"),
    music: Announcement.nullable().default(null).describe("Music on hold; null: the default track"),
    announceEverySeconds: z
      .number()
      .int()
      .min(0)
      .max(600)
      .default(30)
      .describe("Every N seconds (10 to 600) the caller hears their position and/or expected wait; 0: never"),
    announcePosition: z.boolean().default(true),
    announceExpectedWait: z.boolean().default(true),
    conferenceMode: z.boolean().default(false).describe("The agent joins the caller in a conference, so an expert can be added"),
    recording: z
      .object({ enabled: z.boolean().default(false), consent: Announcement.nullable().default(null) })
      .default(() => ({ enabled: false, consent: null }))
      .describe("Record answered calls, after a consent announcement"),
  })
  .meta({ id: "CallQueueSettings" });
export type CallQueueSettings = z.infer<typeof CallQueueSettings>;

export const defaultCallQueueSettings = (): CallQueueSettings => ({
  greeting: null,
  music: null,
  announceEverySeconds: 30,
  announcePosition: true,
  announceExpectedWait: true,
  conferenceMode: false,
  recording: { enabled: false, consent: null },
});

const Pin = z.string().max(12).describe("4 to 12 digits, for listening by phone");

export const MailboxInput = z.object({
  name: z.string().max(100).describe("Unique in the tenant"),
  ownerUserId: Id.nullable().default(null).describe("The user whose personal mailbox it is (one each); null: a shared mailbox"),
  greeting: Announcement.nullable().default(null).describe("Said before the beep; null: a standard greeting with the name"),
  maxMessageSeconds: z.number().int().min(10).max(600).default(120),
  pin: Pin.nullable().optional().describe("4 to 12 digits, for listening by phone; kept only as a hash, never returned"),
  notifyEmails: z.array(z.string().max(254)).max(20).default([]).describe("Told of each new message (when SMTP is configured)"),
});
export type MailboxInput = z.input<typeof MailboxInput>;

/** Each field given replaces the mailbox's; `pin: null` removes the PIN. */
export const MailboxPatch = z.object({
  name: z.string().max(100).optional(),
  ownerUserId: Id.nullable().optional(),
  greeting: Announcement.nullable().optional(),
  maxMessageSeconds: z.number().int().min(10).max(600).optional(),
  pin: Pin.nullable().optional(),
  notifyEmails: z.array(z.string().max(254)).max(20).optional(),
});
export type MailboxPatch = z.input<typeof MailboxPatch>;

export const Mailbox = z
  .object({
    id: Id,
    name: z.string(),
    ownerUserId: Id.nullable(),
    greeting: Announcement.nullable(),
    maxMessageSeconds: z.number().int(),
    hasPin: z.boolean().describe("Whether the mailbox can be listened to by phone (the PIN itself never leaves the server)"),
    notifyEmails: z.array(z.string()),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: "Mailbox" });
export type Mailbox = z.infer<typeof Mailbox>;

export const VoicemailMessage = z
  .object({
    id: Id,
    mailboxId: Id,
    callId: Id,
    caller: z.string().describe("The caller as presented: a number or an extension"),
    recordingId: Id,
    durationMs: z.number().int(),
    transcript: z.string().nullable().describe("The message as text, when speech recognition transcribed it"),
    heard: z.boolean(),
    createdAt: Timestamp,
  })
  .meta({ id: "VoicemailMessage" });
export type VoicemailMessage = z.infer<typeof VoicemailMessage>;

export const VoicemailMessagePatch = z.object({ heard: z.boolean().describe("Heard, or new again") });
export type VoicemailMessagePatch = z.input<typeof VoicemailMessagePatch>;

/** Audio an admin uploaded (a WAV file), kept as telephone audio: name it in an `Announcement` of kind `recording`. */
export const UploadedRecording = z
  .object({
    id: Id,
    durationMs: z.number().int().describe("Length after conversion to 8 kHz mono"),
    createdAt: Timestamp,
  })
  .meta({ id: "UploadedRecording" });
export type UploadedRecording = z.infer<typeof UploadedRecording>;

export const RecordingKind = z
  .enum(["call", "message", "upload"])
  .describe("call: a recorded conversation; message: a caller's voicemail or recording; upload: an admin's audio");

/** A recording in the tenant's library. */
export const RecordingInfo = z
  .object({
    id: Id,
    kind: RecordingKind,
    callId: Id.nullable(),
    durationMs: z.number().int(),
    createdAt: Timestamp,
  })
  .meta({ id: "Recording" });
export type RecordingInfo = z.infer<typeof RecordingInfo>;
export const RecordingPage = pageOf(RecordingInfo);
export type RecordingPage = z.infer<typeof RecordingPage>;

export const RecordingQuery = z.object({
  kind: RecordingKind.optional(),
  callId: Id.optional(),
  before: z.iso.datetime({ offset: true }).optional().describe("Recordings made before this time"),
  after: z.string().max(300).optional().describe("Cursor from the previous page's `next`"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const RecordingRetention = z
  .object({
    retentionDays: z
      .number()
      .int()
      .nullable()
      .describe("Days call recordings are kept (1-3650), then deleted; null keeps them for ever"),
  })
  .meta({ id: "RecordingRetention" });
export type RecordingRetention = z.infer<typeof RecordingRetention>;
