import type { Conversation, ConversationPage, EntryPoint } from "@switchboard/protocol";
import { useCallback, useState } from "react";
import { Link, useLocation, useSearch } from "wouter";
import { customerLabel, intentLabel, isStatus, STATUSES, statusOf } from "../../shell/conversations/conversation-labels.js";
import { useResource } from "../../shell/data/use-resource.js";
import { formatRelative } from "../../shell/format/time.js";
import { useClient } from "../../shell/session/session-context.js";
import { Badge, EmptyState, ErrorNotice, SkeletonRows } from "../../shell/ui/feedback.js";
import { ChatIcon, ChevronRightIcon, ShieldIcon } from "../../shell/ui/icons.js";
import { PageHeader } from "../../shell/ui/page.js";

const PAGE_SIZE = 50;

/** Every conversation of the tenant, newest first, filtered by status and entry point (kept in the URL). */
export function ConversationsPage() {
  const client = useClient();
  const [, navigate] = useLocation();
  const params = new URLSearchParams(useSearch());
  const statusParam = params.get("status");
  const status = isStatus(statusParam) ? statusParam : undefined;
  const entryPointId = params.get("entryPoint") ?? undefined;

  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    const search = next.toString();
    navigate(`/conversations${search ? `?${search}` : ""}`, { replace: true });
  };

  const loadEntryPoints = useCallback((signal: AbortSignal) => client.entryPoints.list({ signal }), [client]);
  const entryPoints = useResource(loadEntryPoints);
  const load = useCallback(
    (signal: AbortSignal) =>
      client.conversations.list(
        { limit: PAGE_SIZE, ...(status ? { status } : {}), ...(entryPointId ? { entryPointId } : {}) },
        { signal },
      ),
    [client, status, entryPointId],
  );
  const { data, error, loading, reload, update } = useResource<ConversationPage>(load);
  const [moreError, setMoreError] = useState<unknown>(undefined);
  const [loadingMore, setLoadingMore] = useState(false);

  const loadMore = async () => {
    if (!data?.next) return;
    setLoadingMore(true);
    setMoreError(undefined);
    try {
      const page = await client.conversations.list({
        limit: PAGE_SIZE,
        after: data.next,
        ...(status ? { status } : {}),
        ...(entryPointId ? { entryPointId } : {}),
      });
      update((d) => ({ items: [...d.items, ...page.items], next: page.next }));
    } catch (e) {
      setMoreError(e);
    } finally {
      setLoadingMore(false);
    }
  };

  const filtered = status !== undefined || entryPointId !== undefined;
  return (
    <div className="page">
      <PageHeader
        title="Conversations"
        description="Every chat with your customers: with the bot, waiting, with an agent, or resolved."
      />
      <div className="toolbar">
        <label className="filter">
          <span className="filter-label">Status</span>
          <select className="input select" value={status ?? ""} onChange={(e) => setFilter("status", e.target.value)}>
            <option value="">Any status</option>
            {STATUSES.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        <label className="filter">
          <span className="filter-label">Entry point</span>
          <select className="input select" value={entryPointId ?? ""} onChange={(e) => setFilter("entryPoint", e.target.value)}>
            <option value="">All entry points</option>
            {(entryPoints.data ?? []).map((ep) => (
              <option key={ep.id} value={ep.id}>
                {ep.name}
              </option>
            ))}
          </select>
        </label>
        {filtered ? (
          <button type="button" className="btn btn-ghost btn-sm" onClick={() => navigate("/conversations", { replace: true })}>
            Clear filters
          </button>
        ) : null}
        {loading && data ? <span className="spinner spinner-sm" role="status" aria-label="Loading" /> : null}
        <div className="toolbar-end">
          <button type="button" className="btn btn-sm" onClick={reload}>
            Refresh
          </button>
        </div>
      </div>
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
      {moreError ? <ErrorNotice error={moreError} onRetry={loadMore} /> : null}
      {data?.next ? (
        <div className="load-more">
          <button type="button" className="btn" onClick={loadMore} disabled={loadingMore}>
            {loadingMore ? "Loading…" : "Load more"}
          </button>
        </div>
      ) : null}
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
