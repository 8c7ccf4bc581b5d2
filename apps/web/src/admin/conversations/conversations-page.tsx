import type { Conversation, EntryPoint } from "@switchboard/protocol";
import { useCallback } from "react";
import { Link } from "wouter";
import { customerLabel, intentLabel, isStatus, STATUSES, statusOf } from "../../shell/conversations/conversation-labels.js";
import { usePages } from "../../shell/data/use-pages.js";
import { useResource } from "../../shell/data/use-resource.js";
import { useUrlFilters } from "../../shell/data/use-url-filters.js";
import { formatRelative } from "../../shell/format/time.js";
import { useClient } from "../../shell/session/session-context.js";
import { Badge, EmptyState, ErrorNotice, SkeletonRows } from "../../shell/ui/feedback.js";
import { ChatIcon, ChevronRightIcon, ShieldIcon } from "../../shell/ui/icons.js";
import { FilterSelect, ListToolbar } from "../../shell/ui/list-toolbar.js";
import { LoadMore } from "../../shell/ui/load-more.js";
import { PageHeader } from "../../shell/ui/page.js";

const PAGE_SIZE = 50;

/** Every conversation of the tenant, newest first, filtered by status and entry point (kept in the URL). */
export function ConversationsPage() {
  const client = useClient();
  const { params, setFilter, clear } = useUrlFilters();
  const statusParam = params.get("status");
  const status = isStatus(statusParam) ? statusParam : undefined;
  const entryPointId = params.get("entryPoint") ?? undefined;

  const loadEntryPoints = useCallback((signal: AbortSignal) => client.entryPoints.list({ signal }), [client]);
  const entryPoints = useResource(loadEntryPoints);
  const load = useCallback(
    (after: string | undefined, signal: AbortSignal) =>
      client.conversations.list(
        {
          limit: PAGE_SIZE,
          ...(after ? { after } : {}),
          ...(status ? { status } : {}),
          ...(entryPointId ? { entryPointId } : {}),
        },
        { signal },
      ),
    [client, status, entryPointId],
  );
  const pages = usePages<Conversation>(load);
  const { data, error, loading, reload } = pages;

  const filtered = status !== undefined || entryPointId !== undefined;
  return (
    <div className="page">
      <PageHeader
        title="Conversations"
        description="Every chat with your customers: with the bot, waiting, with an agent, or resolved."
      />
      <ListToolbar filtered={filtered} onClear={clear} reloading={loading && data !== undefined} onRefresh={reload}>
        <FilterSelect
          label="Status"
          anyLabel="Any status"
          value={status}
          choices={STATUSES}
          onChange={(value) => setFilter("status", value)}
        />
        <FilterSelect
          label="Entry point"
          anyLabel="All entry points"
          value={entryPointId}
          choices={(entryPoints.data ?? []).map((ep) => ({ value: ep.id, label: ep.name }))}
          onChange={(value) => setFilter("entryPoint", value)}
        />
      </ListToolbar>
      {error ? <ErrorNotice error={error} onRetry={reload} /> : null}
      {!data && !error ? <SkeletonRows rows={5} /> : null}
      {data && data.items.length === 0 ? (
        filtered ? (
          <EmptyState title="No conversation matches these filters" />
        ) : (
          <EmptyState icon={<ChatIcon size={28} />} title="No conversations yet">
            They appear here as soon as a customer opens the chat on your website.
          </EmptyState>
        )
      ) : null}
      {data && data.items.length > 0 ? (
        <ul className="row-list" aria-label="Conversations">
          {data.items.map((conversation) => (
            <ConversationRow key={conversation.id} conversation={conversation} entryPoints={entryPoints.data ?? []} />
          ))}
        </ul>
      ) : null}
      <LoadMore pages={pages} />
    </div>
  );
}

function ConversationRow({ conversation, entryPoints }: { conversation: Conversation; entryPoints: EntryPoint[] }) {
  const status = statusOf(conversation.status);
  const entryPoint = entryPoints.find((ep) => ep.id === conversation.entryPointId);
  return (
    <li>
      <Link href={`/conversations/${encodeURIComponent(conversation.id)}`} className="row-link">
        <div className={`row-icon row-icon-${status.tone}`} aria-hidden="true">
          <ChatIcon />
        </div>
        <div className="row-main">
          <div className="row-title">
            <span>{customerLabel(conversation)}</span>
            {conversation.verified ? (
              <span className="verified" title="Verified">
                <ShieldIcon size={14} />
                <span className="visually-hidden">Verified</span>
              </span>
            ) : null}
          </div>
          <div className="row-meta">
            {conversation.intent ? <span className="row-meta-item">{intentLabel(conversation.intent)}</span> : null}
            <span className="row-meta-item">{entryPoint?.name ?? "Entry point"}</span>
            <span className="row-meta-item">Queue: {conversation.queue}</span>
            {conversation.queuePosition !== null ? (
              <span className="row-meta-item">#{conversation.queuePosition} in line</span>
            ) : null}
          </div>
        </div>
        <div className="row-side">
          <Badge tone={status.tone}>{status.label}</Badge>
          <span className="row-time">{formatRelative(conversation.updatedAt)}</span>
        </div>
        <ChevronRightIcon size={16} />
      </Link>
    </li>
  );
}
