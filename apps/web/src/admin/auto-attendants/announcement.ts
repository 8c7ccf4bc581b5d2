import type { Announcement } from "@switchboard/protocol";

/**
 * What a flow says, as an editor holds it: text for text-to-speech, or the id of a recording. Both drafts
 * are kept, so that switching between them loses nothing typed; `none` is "nothing" (or a default, where
 * the server has one: the standard mailbox greeting, the default music on hold).
 */
export interface AnnouncementForm {
  kind: "none" | "speech" | "recording";
  text: string;
  recordingId: string;
  /** A voice the announcement names itself: kept as it is (the editors set the attendant's voice instead). */
  voice: string | undefined;
}

export function announcementForm(
  announcement: Announcement | null | undefined,
  empty: "none" | "speech" = "speech",
): AnnouncementForm {
  if (!announcement) return { kind: empty, text: "", recordingId: "", voice: undefined };
  if (announcement.kind === "recording") {
    return { kind: "recording", text: "", recordingId: announcement.recordingId, voice: undefined };
  }
  return { kind: "speech", text: announcement.text, recordingId: "", voice: announcement.voice };
}

/** An announcement that must be there (a menu's prompt): left empty, the server says what is missing. */
export function announcementOf(form: AnnouncementForm): Announcement {
  if (form.kind === "recording") return { kind: "recording", recordingId: form.recordingId.trim() };
  const text = form.text.trim();
  return form.voice === undefined ? { kind: "speech", text } : { kind: "speech", text, voice: form.voice };
}

/** An announcement that may be left out (a greeting): none, or empty text, is none. */
export function announcementOrNull(form: AnnouncementForm): Announcement | null {
  if (form.kind === "none") return null;
  if (form.kind === "speech" && form.text.trim() === "") return null;
  if (form.kind === "recording" && form.recordingId.trim() === "") return null;
  return announcementOf(form);
}

/** What an announcement says, for summaries: its text, or that it is a recording. */
export function announcementText(announcement: Announcement | null | undefined): string {
  if (!announcement) return "";
  return announcement.kind === "speech" ? announcement.text : `Recording ${announcement.recordingId}`;
}
