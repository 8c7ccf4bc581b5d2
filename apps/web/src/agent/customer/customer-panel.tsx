import type { Conversation, Customer, Message } from "@switchboard/protocol";
import { SwitchboardError } from "@switchboard/sdk";
import { useCallback, useState } from "react";
import {
  customerLabel,
  handoffReason,
  intentLabel,
  statusOf,
  wrapUpLabel,
} from "../../shell/conversations/conversation-labels.js";
import { Timeline } from "../../shell/conversations/timeline.js";
import { useResource } from "../../shell/data/use-resource.js";
import { formatDate, formatDateTime, formatRelative } from "../../shell/format/time.js";
import { useClient } from "../../shell/session/session-context.js";
import { Dialog } from "../../shell/ui/dialog.js";
import { Badge, ErrorNotice, Loading } from "../../shell/ui/feedback.js";
import { ShieldIcon } from "../../shell/ui/icons.js";
import { latestTransferNote } from "./transfer-note.js";

/** A part the agent may not read (403) or that is gone (404): shown without it rather than failing. */
const orNothing = <T,>(promise: Promise<T>): Promise<T | undefined> =>
  promise.catch((error: unknown) => {
    if (error instanceof SwitchboardError && error.status < 500) return undefined;
    throw error;
  });

const CHANNELS: Record<string, string> = {
  web_chat: "Web chat",
  sms: "SMS",
  whatsapp: "WhatsApp",
  email: "Email",
  voice: "Phone",
};
const channelLabel = (channel: string): string => CHANNELS[channel] ?? channel;

/**
 * Who the agent is talking to: identity and verification, what the bot found out (intent, the handoff and
 * its summary), the customer's other conversations on any channel, and the timeline of this one.
 */
export function CustomerPanel({ conversation }: { conversation: Conversation }) {
  const client = useClient();
  const { customerId } = conversation;
  const [opened, setOpened] = useState<Conversation | undefined>(undefined);

  const customerData = useResource(
    useCallback(
      async (signal: AbortSignal) => {
        if (!customerId) return { customer: undefined, history: undefined };
        const [customer, history] = await Promise.all([
          orNothing(client.customers.get(customerId, { signal })),
          orNothing(client.conversations.list({ customerId, limit: 20 }, { signal })),
        ]);
        return { customer, history: history?.items };
      },
      [client, customerId],
    ),
  );
  // A conversation update (assigned, transferred, verified) adds to its timeline: read it again then.
  const { updatedAt } = conversation;
  const timeline = useResource(
    useCallback(
      (signal: AbortSignal) => {
        void updatedAt;
        return client.conversations.timeline(conversation.id, { signal });
      },
      [client, conversation.id, updatedAt],
    ),
  );

  const customer: Customer | undefined = customerData.data?.customer;
  const handoff = conversation.handoff;
  const email = customer?.email ?? handoff?.customer.email ?? null;
  const past = customerData.data?.history?.filter((c) => c.id !== conversation.id);

  const transfer = timeline.data ? latestTransferNote(timeline.data) : undefined;

  return (
    <div className="customer-panel">
      {transfer ? (
        <section className="panel-section cp-transfer" aria-labelledby="cp-transfer">
          <h2 className="desk-section-title" id="cp-transfer">
            Transfer note
          </h2>
          <p className="cp-transfer-note">{transfer.note}</p>
          <span className="cp-small muted">{formatDateTime(transfer.at)}</span>
        </section>
      ) : null}
      <section className="panel-section" aria-labelledby="cp-customer">
        <h2 className="desk-section-title" id="cp-customer">
          Customer
        </h2>
        <div className="cp-identity">
          <span className="cp-name">{customer?.name ?? customerLabel(conversation)}</span>
          {conversation.verified ? (
            <Badge tone="success">
              <ShieldIcon size={13} /> Verified
            </Badge>
          ) : (
            <Badge tone="warning">Not verified</Badge>
          )}
        </div>
        <dl className="details details-compact">
          {email ? (
            <>
              <dt>Email</dt>
              <dd>{email}</dd>
            </>
          ) : null}
          {customer?.phone ? (
            <>
              <dt>Phone</dt>
              <dd>{customer.phone}</dd>
            </>
          ) : null}
          {customer?.externalId ? (
            <>
              <dt>Account</dt>
              <dd>
                <code>{customer.externalId}</code>
              </dd>
            </>
          ) : null}
          <dt>Channel</dt>
          <dd>{channelLabel(conversation.channel)}</dd>
          <dt>Intent</dt>
          <dd>{conversation.intent ? intentLabel(conversation.intent) : <span className="muted">None detected</span>}</dd>
          <dt>Queue</dt>
          <dd>{conversation.queue}</dd>
          <dt>Started</dt>
          <dd title={formatDateTime(conversation.createdAt)}>{formatRelative(conversation.createdAt)}</dd>
        </dl>
        {!conversation.verified ? (
          <p className="cp-hint">Not verified: don't share account details until the customer proves who they are.</p>
        ) : null}
      </section>

      {handoff ? (
        <section className="panel-section" aria-labelledby="cp-handoff">
          <h2 className="desk-section-title" id="cp-handoff">
            Handoff from the bot
          </h2>
          <dl className="details details-compact">
            <dt>Reason</dt>
            <dd>{handoffReason(handoff.reason)}</dd>
            <dt>When</dt>
            <dd>{formatDateTime(handoff.at)}</dd>
          </dl>
          {handoff.summary ? (
            <div className="handoff-summary">
              <span className="field-label">Summary</span>
              <p>{handoff.summary}</p>
            </div>
          ) : null}
        </section>
      ) : null}

      <section className="panel-section" aria-labelledby="cp-past">
        <h2 className="desk-section-title" id="cp-past">
          Past conversations
        </h2>
        {!customerId ? (
          <p className="muted cp-small">Known once the customer is verified.</p>
        ) : customerData.error ? (
          <ErrorNotice error={customerData.error} onRetry={customerData.reload} />
        ) : !customerData.data ? (
          <Loading />
        ) : past === undefined ? (
          <p className="muted cp-small">Not available to you.</p>
        ) : past.length === 0 ? (
          <p className="muted cp-small">This is their first conversation.</p>
        ) : (
          <ul className="cp-past">
            {past.map((c) => {
              const status = statusOf(c.status);
              return (
                <li key={c.id}>
                  <button type="button" className="cp-past-item" onClick={() => setOpened(c)}>
                    <span className="cp-past-top">
                      <span>{formatDate(c.createdAt)}</span>
                      <span className="muted">{channelLabel(c.channel)}</span>
                    </span>
                    <span className="cp-past-line">
                      {c.intent ? intentLabel(c.intent) : "No intent"}
                      {c.wrapUpCode ? ` · ${wrapUpLabel(c.wrapUpCode)}` : ""}
                    </span>
                    <Badge tone={status.tone}>{status.label}</Badge>
                  </button>
                </li>
              );
            })}
          </ul>
        )}
      </section>

      <section className="panel-section" aria-labelledby="cp-timeline">
        <h2 className="desk-section-title" id="cp-timeline">
          Timeline
        </h2>
        {timeline.data ? (
          <Timeline events={timeline.data} />
        ) : timeline.error ? (
          <ErrorNotice error={timeline.error} onRetry={timeline.reload} />
        ) : (
          <Loading />
        )}
      </section>
      <PastConversationDialog conversation={opened} onClose={() => setOpened(undefined)} />
    </div>
  );
}

/** One earlier conversation: what it was about and, where the agent may read it, what was said. */
function PastConversationDialog({ conversation, onClose }: { conversation: Conversation | undefined; onClose: () => void }) {
  return (
    <Dialog open={conversation !== undefined} onClose={onClose} title="Earlier conversation" wide>
      {conversation ? <PastConversation conversation={conversation} /> : null}
    </Dialog>
  );
}

function PastConversation({ conversation }: { conversation: Conversation }) {
  const client = useClient();
  const messages = useResource(
    useCallback(
      async (signal: AbortSignal) => {
        const all: Message[] = [];
        try {
          for await (const m of client.chat.thread(conversation.threadId).allMessages({ limit: 200 }, { signal })) all.push(m);
        } catch (error) {
          if (error instanceof SwitchboardError && error.status < 500) return undefined;
          throw error;
        }
        return all;
      },
      [client, conversation.threadId],
    ),
  );
  const status = statusOf(conversation.status);
  return (
    <div className="dialog-body stack-sm">
      <dl className="details details-compact">
        <dt>Started</dt>
        <dd>{formatDateTime(conversation.createdAt)}</dd>
        <dt>Channel</dt>
        <dd>{channelLabel(conversation.channel)}</dd>
        <dt>Status</dt>
        <dd>
          <Badge tone={status.tone}>{status.label}</Badge>
        </dd>
        <dt>Intent</dt>
        <dd>{conversation.intent ? intentLabel(conversation.intent) : "None detected"}</dd>
        {conversation.wrapUpCode ? (
          <>
            <dt>Wrap-up</dt>
            <dd>{wrapUpLabel(conversation.wrapUpCode)}</dd>
          </>
        ) : null}
      </dl>
      {conversation.handoff?.summary ? (
        <div className="handoff-summary">
          <span className="field-label">Handoff summary</span>
          <p>{conversation.handoff.summary}</p>
        </div>
      ) : null}
      {messages.error ? (
        <ErrorNotice error={messages.error} onRetry={messages.reload} />
      ) : messages.loading && !messages.data ? (
        <Loading />
      ) : messages.data === undefined ? (
        <p className="muted">The transcript is not available to you.</p>
      ) : (
        <ol className="past-transcript">
          {messages.data.map((m) => (
            <li key={m.id} className={m.senderId === conversation.customerIdentityId ? "past-customer" : "past-team"}>
              <span className="past-sender">{m.senderDisplayName || "Unknown"}</span>
              <span className="past-text">{m.deletedAt ? "Message deleted" : m.content || m.card?.title || "(attachment)"}</span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
