import type * as core from "@switchboard/core";

/** What the server gives the flow engine besides the SIP side (dialer, mixer). */
export interface CallFlowStores {
  readonly autoAttendants: Pick<core.AutoAttendantStore, "getAutoAttendant">;
  readonly voicemail: core.VoicemailStore;
  readonly queues: Pick<core.QueueStore, "getQueue">;
  readonly sipAccounts: Pick<core.SipAccountStore, "listSipAccounts" | "findByUser">;
  readonly users: Pick<core.IdentityStore, "listUsers" | "getUserByIdentity">;
  readonly passwords: { verify(password: string, hash: string): Promise<boolean> };
  /** The routing service's lane for phone calls (`RoutingService.laneForCalls`). */
  readonly lane: (handle: (tenantId: string, event: core.RoutingEvent) => void) => core.RoutingLane;
  readonly recognizer?: core.SpeechRecognizer;
  /** Transcribes voicemail messages (their notification then carries the transcript); without it, none. */
  readonly transcriber?: core.SpeechTranscriber;
  readonly onVoicemail?: (message: core.VoicemailMessage, mailbox: core.Mailbox) => void;
}

/** Real timers for the flow engine (announcements while a caller waits). */
export const systemFlowTimers: core.FlowTimers = {
  sleep(ms) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const done = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    });
    return { done, cancel: () => clearTimeout(timer) };
  },
};

/**
 * The company directory: every SIP account of the tenant with its extension and display name, linked to
 * its console user (whose personal mailbox takes the calls nobody answers).
 */
export function sipDirectory(stores: Pick<CallFlowStores, "sipAccounts" | "users">): core.Directory {
  return {
    list: async (tenantId) => {
      const [accounts, users] = await Promise.all([
        stores.sipAccounts.listSipAccounts(tenantId),
        stores.users.listUsers(tenantId),
      ]);
      const identityOf = new Map(users.map((u) => [u.id, u.identityId]));
      return accounts.map((a) => ({
        extension: a.extension,
        name: a.displayName,
        userId: a.userId,
        identityId: a.userId ? (identityOf.get(a.userId) ?? null) : null,
      }));
    },
  };
}

/**
 * The extension of the phone an agent answers queue calls on: the SIP account linked to their user. Asked
 * on every offer of a call, so two indexed lookups rather than the tenant's users and accounts.
 */
export function agentPhones(stores: {
  readonly sipAccounts: Pick<core.SipAccountStore, "findByUser">;
  readonly users: Pick<core.IdentityStore, "getUserByIdentity">;
}) {
  return async (tenantId: string, workerId: string): Promise<string | undefined> => {
    const user = await stores.users.getUserByIdentity(tenantId, workerId);
    if (!user) return undefined;
    return (await stores.sipAccounts.findByUser(tenantId, user.id))?.extension;
  };
}
