import type { Conversation, ConversationEvent, Customer, EntryPoint, Identity, Message } from "@switchboard/protocol";
import { SwitchboardError } from "@switchboard/sdk";
import { useCallback, useState } from "react";
import { Link } from "wouter";
import {
  customerLabel,
  handoffReason,
  intentLabel,
  type Speaker,
  speakerOf,
  statusOf,
} from "../../shell/conversations/conversation-labels.js";
import { Timeline } from "../../shell/conversations/timeline.js";
import { useResource } from "../../shell/data/use-resource.js";
import { formatDateTime, formatTime } from "../../shell/format/time.js";
import { useClient, useToken } from "../../shell/session/session-context.js";
import { Badge, EmptyState, ErrorNotice, Loading } from "../../shell/ui/feedback.js";
import { ShieldIcon } from "../../shell/ui/icons.js";
import { PageHeader, Section } from "../../shell/ui/page.js";
import { loadBots } from "../entry-points/bots.js";
import { RoutingLogSection } from "./routing-log-section.js";

interface Loaded {
  conversation: Conversation;
  messages: Message[];
  timeline: ConversationEvent[];
  entryPoint: EntryPoint | undefined;
  customer: Customer | undefined;
  identity: Identity | undefined;
  botIds: Set<string>;
}

/** 404 and friends: a part of the page that is gone or hidden, shown without it rather than failing. */
const orNothing = <T,>(promise: Promise<T>): Promise<T | undefined> =>
  promise.catch((error: unknown) => {
    if (error instanceof SwitchboardError && error.status < 500) return undefined;
    throw error;
  });

/** One conversation: where it stands, who the customer is, the handoff, the transcript and the timeline. */
export function ConversationPage({ id }: { id: string }) {
  const client = useClient();
  const load = useCallback(
    async (signal: AbortSignal): Promise<Loaded> => {
      const conversation = await client.conversations.get(id, { signal });
      const messages: Message[] = [];
      const [timeline, entryPoint, customer, identity, bots] = await Promise.all([
        client.conversations.timeline(id, { signal }),
        orNothing(client.entryPoints.get(conversation.entryPointId, { signal })),
        conversation.customerId ? orNothing(client.customers.get(conversation.customerId, { signal })) : undefined,
        orNothing(client.identities.get(conversation.customerIdentityId, { signal })),
        loadBots(client, signal),
        (async () => {
          for await (const message of client.chat.thread(conversation.threadId).allMessages({ limit: 200 }, { signal })) {
            messages.push(message);
          }
        })(),
      ]);
      const botIds = new Set(bots.map((b) => b.id));
      if (entryPoint?.botIdentityId) botIds.add(entryPoint.botIdentityId);
      return { conversation, messages, timeline, entryPoint, customer, identity, botIds };
    },
    [client, id],
  );
  const { data, error, reload, update } = useResource(load);
  const [resolving, setResolving] = useState(false);
  const [actionError, setActionError] = useState<unknown>(undefined);
  const back = { href: "/conversations", label: "Conversations" };

  if (!data) {
    return (
      <div className="page">
        <PageHeader back={back} title="Conversation" />
        {error ? <ErrorNotice error={error} onRetry={reload} /> : <Loading />}
      </div>
    );
  }

  const { conversation, entryPoint, customer, identity } = data;
  const status = statusOf(conversation.status);
  const resolve = async () => {
    setResolving(true);
    setActionError(undefined);
    try {
      const resolved = await client.conversations.resolve(conversation.id);
      update((d) => ({ ...d, conversation: resolved }));
      reload();
    } catch (e) {
      setActionError(e);
    } finally {
      setResolving(false);
    }
  };
  const name = customer?.name ?? conversation.handoff?.customer.name ?? identity?.displayName ?? customerLabel(conversation);

  return (
    <div className="page">
      <PageHeader
        back={back}
        title={name || customerLabel(conversation)}
        description={`${entryPoint?.name ?? "Web chat"} · started ${formatDateTime(conversation.createdAt)}`}
        actions={
          <>
            <Badge tone={status.tone}>{status.label}</Badge>
            {conversation.status !== "resolved" ? (
              <button type="button" className="btn btn-sm" onClick={resolve} disabled={resolving}>
                {resolving ? "Resolving…" : "Resolve"}
              </button>
            ) : null}
          </>
        }
      />
      {actionError ? <ErrorNotice error={actionError} /> : null}
      {error ? <ErrorNotice error={error} onRetry={reload} /> : null}
      <div className="split split-detail">
        <Section title="Transcript" description={`${data.messages.length} message${data.messages.length === 1 ? "" : "s"}`}>
          <Transcript messages={data.messages} customerIdentityId={conversation.customerIdentityId} botIds={data.botIds} />
        </Section>
        <aside className="stack">
          <Section title="Customer">
            <dl className="details">
              <dt>Name</dt>
              <dd>
                {customer?.name ?? conversation.handoff?.customer.name ?? identity?.displayName ?? (
                  <span className="muted">Unknown</span>
                )}
              </dd>
              <dt>Verified</dt>
              <dd>
                {conversation.verified ? (
                  <span className="verified">
                    <ShieldIcon size={14} /> Verified
                  </span>
                ) : (
                  <span className="muted">Not verified</span>
                )}
              </dd>
              {customer?.email || conversation.handoff?.customer.email ? (
                <>
                  <dt>Email</dt>
                  <dd>{customer?.email ?? conversation.handoff?.customer.email}</dd>
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
                  <dt>External ID</dt>
                  <dd>
                    <code>{customer.externalId}</code>
                  </dd>
                </>
              ) : null}
            </dl>
          </Section>
          <Section title="Details">
            <dl className="details">
              <dt>Status</dt>
              <dd>{status.label}</dd>
              <dt>Intent</dt>
              <dd>{conversation.intent ? intentLabel(conversation.intent) : <span className="muted">None detected</span>}</dd>
              <dt>Entry point</dt>
              <dd>
                {entryPoint ? (
                  <Link href={`/entry-points/${encodeURIComponent(entryPoint.id)}`}>{entryPoint.name}</Link>
                ) : (
                  <code>{conversation.entryPointId}</code>
                )}
              </dd>
              <dt>Queue</dt>
              <dd>
                {conversation.queue}
                {conversation.queuePosition !== null ? ` · #${conversation.queuePosition} in line` : ""}
              </dd>
              {conversation.resolvedAt ? (
                <>
                  <dt>Resolved</dt>
                  <dd>{formatDateTime(conversation.resolvedAt)}</dd>
                </>
              ) : null}
            </dl>
          </Section>
          {conversation.handoff ? (
            <Section title="Handoff">
              <dl className="details">
                <dt>Reason</dt>
                <dd>{handoffReason(conversation.handoff.reason)}</dd>
                <dt>Queue</dt>
                <dd>{conversation.handoff.queue}</dd>
                <dt>When</dt>
                <dd>{formatDateTime(conversation.handoff.at)}</dd>
              </dl>
              {conversation.handoff.summary ? (
                <div className="handoff-summary">
                  <span className="field-label">Summary for the agent</span>
                  <p>{conversation.handoff.summary}</p>
                </div>
              ) : null}
            </Section>
          ) : null}
          {/* Keyed by status: a resolve reads the log again. */}
          <RoutingLogSection key={conversation.status} conversationId={conversation.id} />
          <Section title="Timeline">
            <Timeline events={data.timeline} />
          </Section>
        </aside>
      </div>
    </div>
  );
}

const SPEAKER_LABEL: Record<Speaker, string> = { customer: "Customer", bot: "Bot", agent: "Agent" };

function Transcript({
  messages,
  customerIdentityId,
  botIds,
}: {
  messages: Message[];
  customerIdentityId: string;
  botIds: Set<string>;
}) {
  const client = useClient();
  const token = useToken();
  if (messages.length === 0) return <EmptyState title="No messages yet" />;
  return (
    <ol className="transcript" aria-label="Messages">
      {messages.map((message) => {
        const speaker = speakerOf(message, customerIdentityId, botIds);
        return (
          <li key={message.id} className={`message message-${speaker}`}>
            <div className="message-meta">
              <span className="message-sender">{message.senderDisplayName || SPEAKER_LABEL[speaker]}</span>
              <span className="message-role">{SPEAKER_LABEL[speaker]}</span>
              <time dateTime={message.createdAt} title={formatDateTime(message.createdAt)}>
                {formatTime(message.createdAt)}
              </time>
            </div>
            <div className="bubble">
              {message.deletedAt ? (
                <em className="muted">Message deleted</em>
              ) : (
                <>
                  {message.content ? <p className="bubble-text">{message.content}</p> : null}
                  {message.card ? (
                    <div className="bubble-card">
                      <strong>{message.card.title}</strong>
                      {message.card.text ? <p>{message.card.text}</p> : null}
                    </div>
                  ) : null}
                  {message.attachments.length > 0 ? (
                    <ul className="attachments">
                      {message.attachments.map((a) => (
                        <li key={a.id}>
                          <a href={client.attachments.url(a.id, token)} target="_blank" rel="noreferrer">
                            {a.fileName}
                          </a>{" "}
                          <span className="muted">{Math.max(1, Math.round(a.size / 1024))} KB</span>
                        </li>
                      ))}
                    </ul>
                  ) : null}
                  {message.quickReplies.length > 0 ? (
                    <div className="chips">
                      {message.quickReplies.map((q) => (
                        <span key={q.value} className="chip">
                          {q.label}
                        </span>
                      ))}
                    </div>
                  ) : null}
                </>
              )}
              {message.editedAt && !message.deletedAt ? <span className="muted message-edited">edited</span> : null}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
