import type * as core from "@switchboard/core";

/** What the server gives the flow engine besides the SIP side (dialer, mixer). */
export interface CallFlowStores {
  readonly autoAttendants: Pick<core.AutoAttendantStore, "getAutoAttendant">;
  readonly voicemail: core.VoicemailStore;
  readonly queues: Pick<core.QueueStore, "getQueue">;
  readonly sipAccounts: Pick<core.SipAccountStore, "listSipAccounts" | "findByExtension" | "findByUser">;
  readonly users: Pick<core.IdentityStore, "getUser" | "getUserByIdentity">;
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
  const entryOf = (a: core.SipAccount, identityId?: string | null): core.DirectoryEntry => ({
    extension: a.extension,
    name: a.displayName,
    userId: a.userId,
    ...(identityId !== undefined ? { identityId } : {}),
  });
  return {
    list: async (tenantId) => (await stores.sipAccounts.listSipAccounts(tenantId)).map((a) => entryOf(a)),
    find: async (tenantId, extension) => {
      const account = await stores.sipAccounts.findByExtension(tenantId, extension);
      if (!account) return undefined;
      const user = account.userId ? await stores.users.getUser(tenantId, account.userId) : undefined;
      return entryOf(account, user?.identityId ?? null);
    },
  };
}

type AgentAccountStores = {
  readonly sipAccounts: Pick<core.SipAccountStore, "findByUser">;
  readonly users: Pick<core.IdentityStore, "getUserByIdentity">;
};

/**
 * The SIP account of an agent (worker): the one linked to their user. Asked on every offer of a call, so two
 * indexed lookups rather than the tenant's users and accounts.
 */
export function agentAccounts(stores: AgentAccountStores) {
  return async (tenantId: string, workerId: string): Promise<core.SipAccount | undefined> => {
    const user = await stores.users.getUserByIdentity(tenantId, workerId);
    return user ? stores.sipAccounts.findByUser(tenantId, user.id) : undefined;
  };
}

/** The extension of the phone an agent answers queue calls on (their SIP account's). */
export function agentPhones(stores: AgentAccountStores) {
  const accountOf = agentAccounts(stores);
  return async (tenantId: string, workerId: string): Promise<string | undefined> =>
    (await accountOf(tenantId, workerId))?.extension;
}
