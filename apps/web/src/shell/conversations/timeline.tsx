import type { ConversationEvent } from "@switchboard/protocol";
import { formatDateTime } from "../format/time.js";
import { describeEvent } from "./conversation-labels.js";
import "./conversations.css";

/** What happened in a conversation, oldest first, in words. */
export function Timeline({ events }: { events: readonly ConversationEvent[] }) {
  if (events.length === 0) return <p className="muted">Nothing recorded yet.</p>;
  return (
    <ol className="timeline">
      {events.map((event) => {
        const { title, detail } = describeEvent(event);
        return (
          <li key={event.sequence} className="timeline-item">
            <span className="timeline-dot" aria-hidden="true" />
            <div>
              <div className="timeline-title">{title}</div>
              {detail ? <div className="timeline-detail">{detail}</div> : null}
              <time className="timeline-time" dateTime={event.createdAt}>
                {formatDateTime(event.createdAt)}
              </time>
            </div>
          </li>
        );
      })}
    </ol>
  );
}
