import { requireAdmin, requireSupervisor } from "../identity/authorize.js";
import type { Principal } from "../identity/model.js";
import type { Page } from "../identity/ports.js";
import type { Clock } from "../kernel/clock.js";
import { DomainError, notFound } from "../kernel/domain-error.js";
import type { Recording, RecordingKind } from "./media.js";

/*
 * The tenant's recordings as a library: what each is (a recorded conversation, a message a caller left,
 * uploaded audio), of which call, how long, when; listed for supervisors, deleted by admins, and call
 * recordings kept only as long as the tenant's retention says. The audio itself stays in the
 * `RecordingStore`; the catalog holds what is known about it.
 */

/** What the library lists by. */
export interface RecordingFilter {
  readonly kind?: RecordingKind;
  readonly callId?: string;
  /** Made before this time. */
  readonly before?: Date;
}

/** What is known about each recording, and the tenant's retention of call recordings. */
export interface RecordingCatalog {
  /** Fails with `tenant.not_found`. */
  addRecording(recording: Recording): Promise<Recording>;
  getRecording(tenantId: string, id: string): Promise<Recording | undefined>;
  /** Newest first (by time, then id); the cursor is `<createdAt ISO>|<id>`. */
  listRecordings(tenantId: string, filter: RecordingFilter, options: { after?: string; limit: number }): Promise<Page<Recording>>;
  deleteRecording(tenantId: string, id: string): Promise<boolean>;
  /** Days call recordings are kept; null: for ever (the default). */
  getRetention(tenantId: string): Promise<number | null>;
  setRetention(tenantId: string, days: number | null): Promise<void>;
  /** Every tenant that keeps call recordings for a limited time. */
  listRetentions(): Promise<readonly { readonly tenantId: string; readonly days: number }[]>;
}

export interface RecordingLibraryDeps {
  readonly catalog: RecordingCatalog;
  /** Where the audio is removed from. */
  readonly audio: { delete(tenantId: string, recordingId: string): Promise<void> };
  readonly clock: Clock;
}

/** The longest retention that can be set: ten years. */
export const MAX_RETENTION_DAYS = 3650;

/** The tenant's recordings, newest first (supervisors and admins). */
export function listRecordings(
  deps: Pick<RecordingLibraryDeps, "catalog">,
  principal: Principal,
  filter: RecordingFilter,
  page: { after?: string; limit: number },
): Promise<Page<Recording>> {
  const { tenantId } = requireSupervisor(principal);
  return deps.catalog.listRecordings(tenantId, filter, page);
}

/** A recording's metadata (supervisors and admins). */
export async function getRecording(
  deps: Pick<RecordingLibraryDeps, "catalog">,
  principal: Principal,
  id: string,
): Promise<Recording> {
  const { tenantId } = requireSupervisor(principal);
  const recording = await deps.catalog.getRecording(tenantId, id);
  if (!recording) throw notFound("recording", id);
  return recording;
}

/** Deletes a recording, its audio with it (admins). Flows or messages that named it no longer play it. */
export async function deleteRecording(deps: RecordingLibraryDeps, principal: Principal, id: string): Promise<void> {
  const { tenantId } = requireAdmin(principal);
  if (!(await deps.catalog.deleteRecording(tenantId, id))) throw notFound("recording", id);
  await deps.audio.delete(tenantId, id);
}

/** How many days call recordings are kept; null: for ever (admins). */
export async function recordingRetention(
  deps: Pick<RecordingLibraryDeps, "catalog">,
  principal: Principal,
): Promise<number | null> {
  const { tenantId } = requireAdmin(principal);
  return deps.catalog.getRetention(tenantId);
}

/** Keeps call recordings `days` days (1 to 3650), or for ever with null (admins). */
export async function setRecordingRetention(
  deps: Pick<RecordingLibraryDeps, "catalog">,
  principal: Principal,
  days: number | null,
): Promise<number | null> {
  const { tenantId } = requireAdmin(principal);
  if (days !== null && !(Number.isInteger(days) && days >= 1 && days <= MAX_RETENTION_DAYS)) {
    throw new DomainError("recording.invalid_retention", "invalid", "The retention is a whole number of days.", [
      { field: "retentionDays", message: `1 to ${MAX_RETENTION_DAYS}, or null to keep recordings for ever` },
    ]);
  }
  await deps.catalog.setRetention(tenantId, days);
  return days;
}

/**
 * Deletes the call recordings older than their tenant's retention (recordings of conversations only:
 * messages callers left live as long as their voicemail, uploaded audio as long as an admin keeps it).
 * Answers how many went. Run periodically; each run picks up where the clock is.
 */
export async function expireRecordings(deps: RecordingLibraryDeps, batch = 200): Promise<number> {
  let deleted = 0;
  for (const { tenantId, days } of await deps.catalog.listRetentions()) {
    const before = new Date(deps.clock.now().getTime() - days * 86_400_000);
    for (;;) {
      const page = await deps.catalog.listRecordings(tenantId, { kind: "call", before }, { limit: batch });
      for (const recording of page.items) {
        if (await deps.catalog.deleteRecording(tenantId, recording.id)) {
          await deps.audio.delete(tenantId, recording.id);
          deleted += 1;
        }
      }
      if (page.items.length < batch) break;
    }
  }
  return deleted;
}
