import type * as core from "@switchboard/core";
import { messageData } from "@switchboard/core";
import type * as wire from "@switchboard/protocol";

/** Domain objects to their wire form: the only place the API's shapes are built. */
const iso = (d: Date): string => d.toISOString();

export const tenantView = (t: core.Tenant): wire.Tenant => ({
  id: t.id,
  slug: t.slug,
  name: t.name,
  createdAt: iso(t.createdAt),
});

export const userView = (u: core.User): wire.User => ({
  id: u.id,
  email: u.email,
  displayName: u.displayName,
  role: u.role,
  identityId: u.identityId,
  createdAt: iso(u.createdAt),
});

export const apiKeyView = (k: core.ApiKey): wire.ApiKey => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  createdAt: iso(k.createdAt),
  revokedAt: k.revokedAt ? iso(k.revokedAt) : null,
});

export const identityView = (i: core.Identity): wire.Identity => ({
  id: i.id,
  kind: i.kind,
  displayName: i.displayName,
  externalId: i.externalId,
  metadata: { ...i.metadata },
  createdAt: iso(i.createdAt),
});

export const threadView = (t: core.Thread): wire.Thread => ({
  id: t.id,
  topic: t.topic,
  metadata: { ...t.metadata },
  createdBy: t.createdBy,
  createdAt: iso(t.createdAt),
  lastSequence: t.lastSequence,
});

export const participantView = (p: core.Participant): wire.Participant => ({
  id: p.identityId,
  displayName: p.displayName,
  joinedSequence: p.joinedSequence,
  lastReadSequence: p.lastReadSequence,
});

export const messageView = (m: core.Message): wire.Message => messageData(m);

/** A thread event on the wire: the same for REST paging and the WebSocket. Its data is plain JSON already. */
export const threadEventView = (e: core.ThreadEvent): wire.ThreadEvent =>
  ({
    type: e.type,
    threadId: e.threadId,
    sequence: e.sequence,
    createdAt: iso(e.createdAt),
    data: e.data,
  }) as wire.ThreadEvent;
