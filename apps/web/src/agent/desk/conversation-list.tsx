import type { Conversation } from "@switchboard/protocol";
import { customerLabel, intentLabel } from "../../shell/conversations/conversation-labels.js";
import { formatTime } from "../../shell/format/time.js";
import { initials } from "../../shell/layout/app-frame.js";
import { ShieldIcon } from "../../shell/ui/icons.js";
import { preview, type ThreadState, typingNames, unreadCount } from "../conversation/thread-state.js";
import type { Threads } from "./use-desk.js";

/** The agent's conversations, the active one marked; each with its last line, unread count and typing. */
export function ConversationList({
  conversations,
  threads,
  activeId,
  me,
  now,
  capacity,
  onSelect,
}: {
  conversations: readonly Conversation[];
  threads: Threads;
  activeId: string | undefined;
  me: string;
  now: number;
  capacity: number | undefined;
  onSelect: (conversationId: string) => void;
}) {
  const open = conversations.filter((c) => c.status !== "resolved").length;
  return (
    <nav className="desk-list" aria-label="Your conversations">
      <header className="desk-list-head">
        <h2 className="desk-section-title">Conversations</h2>
        <span className="desk-list-count" title="Open conversations / capacity">
          {open}
          {capacity !== undefined ? ` / ${capacity}` : ""}
        </span>
      </header>
      {conversations.length === 0 ? (
        <p className="desk-list-empty">
          No open conversations. While you're <strong>available</strong>, new chats ring at the top of the screen.
        </p>
      ) : (
        <ul className="desk-list-items">
          {conversations.map((conversation, index) => (
            <li key={conversation.id}>
              <ListItem
                conversation={conversation}
                thread={threads[conversation.threadId]}
                active={conversation.id === activeId}
                me={me}
                now={now}
                shortcut={index < 9 ? index + 1 : undefined}
                onSelect={() => onSelect(conversation.id)}
              />
            </li>
          ))}
        </ul>
      )}
    </nav>
  );
}

function ListItem({
  conversation,
  thread,
  active,
  me,
  now,
  shortcut,
  onSelect,
}: {
  conversation: Conversation;
  thread: ThreadState | undefined;
  active: boolean;
  me: string;
  now: number;
  shortcut: number | undefined;
  onSelect: () => void;
}) {
  const name = customerLabel(conversation);
  const unread = thread ? unreadCount(thread, me) : 0;
  const last = thread ? preview(thread) : undefined;
  const typing = thread ? typingNames(thread, now).length > 0 : false;
  const ended = conversation.status === "resolved";
  const lastLine = typing ? (
    <span className="desk-item-typing">typing…</span>
  ) : last ? (
    <>
      {last.senderId === me || last.senderId === "" ? <span className="desk-item-you">You: </span> : null}
      {last.text}
    </>
  ) : (
    <span className="muted">Loading…</span>
  );
  return (
    <button
      type="button"
      className={`desk-item${active ? " desk-item-active" : ""}${ended ? " desk-item-ended" : ""}${unread > 0 ? " desk-item-unread" : ""}`}
      aria-current={active ? "true" : undefined}
      onClick={onSelect}
      title={shortcut ? `Alt ${shortcut}` : undefined}
    >
      <span className="desk-avatar" aria-hidden="true">
        {initials(name)}
      </span>
      <span className="desk-item-main">
        <span className="desk-item-top">
          <span className="desk-item-name">
            {name}
            {conversation.verified ? (
              <span className="desk-item-verified" title="Verified">
                <ShieldIcon size={13} />
              </span>
            ) : null}
          </span>
          {last ? (
            <time className="desk-item-time" dateTime={last.at}>
              {formatTime(last.at)}
            </time>
          ) : null}
        </span>
        <span className="desk-item-line">
          <span className="desk-item-preview">{lastLine}</span>
          {unread > 0 && !active ? (
            <span className="desk-unread">
              {unread}
              <span className="visually-hidden"> unread</span>
            </span>
          ) : null}
        </span>
        <span className="desk-item-meta">
          {ended ? <span className="tag tag-danger-quiet">Ended</span> : null}
          <span>{conversation.queue}</span>
          {conversation.intent ? <span>· {intentLabel(conversation.intent)}</span> : null}
        </span>
      </span>
    </button>
  );
}
