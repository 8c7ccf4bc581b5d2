import { useId, useLayoutEffect, useRef, useState } from "react";
import { formatDuration } from "../shell/routing/presence.js";
import { longestWaitNow, niceCeiling, type QueueLive, ticks, waitTone } from "./live.js";

const ROW = 30;
const BAR = 16;
const AXIS = 22;

/** The element's width in CSS pixels, kept current: the chart draws at its real size, so text stays legible. */
function useWidth<T extends HTMLElement>(): [React.RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(el.clientWidth);
    const observer = new ResizeObserver(([entry]) => setWidth(Math.round(entry?.contentRect.width ?? el.clientWidth)));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

/**
 * Waiting per queue as horizontal bars, drawn by hand in SVG: one row per queue in a stable order (bars that
 * jump around are hard to follow), coloured by how long the longest wait is.
 */
export function WaitingChart({ queues, snapshotAt, now }: { queues: readonly QueueLive[]; snapshotAt: string; now: number }) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const titleId = useId();
  const max = niceCeiling(Math.max(0, ...queues.map((q) => q.waiting)));
  const grid = ticks(max);
  const label = Math.min(160, Math.max(90, width * 0.28));
  const plot = Math.max(40, width - label - 36);
  const height = queues.length * ROW + AXIS;
  const x = (value: number) => label + (value / max) * plot;

  return (
    <div className="chart" ref={ref}>
      {width > 0 ? (
        <svg
          width={width}
          height={height}
          viewBox={`0 0 ${width} ${height}`}
          className="chart-svg"
          role="img"
          aria-labelledby={titleId}
        >
          <title id={titleId}>{`Waiting per queue: ${queues.map((q) => `${q.name} ${q.waiting}`).join(", ")}`}</title>
          {grid.map((t) => (
            <g key={t}>
              <line x1={x(t)} x2={x(t)} y1={0} y2={height - AXIS + 4} className="chart-grid" />
              <text x={x(t)} y={height - 6} className="chart-tick" textAnchor="middle">
                {t}
              </text>
            </g>
          ))}
          {queues.map((q, i) => {
            const y = i * ROW + (ROW - BAR) / 2;
            const wait = longestWaitNow(q, snapshotAt, now);
            const w = Math.max(q.waiting > 0 ? 3 : 0, x(q.waiting) - label);
            return (
              <g key={q.id}>
                <title>{`${q.name}: ${q.waiting} waiting, longest ${formatDuration(wait)}`}</title>
                <text x={label - 10} y={y + BAR / 2} className="chart-label" textAnchor="end" dominantBaseline="central">
                  {q.name.length > 18 ? `${q.name.slice(0, 17)}…` : q.name}
                </text>
                <rect x={label} y={y} width={plot} height={BAR} rx={4} className="chart-track" />
                {w > 0 ? (
                  <rect x={label} y={y} width={w} height={BAR} rx={4} className={`chart-bar chart-bar-${waitTone(wait)}`} />
                ) : null}
                <text x={label + w + 6} y={y + BAR / 2} className="chart-value" dominantBaseline="central">
                  {q.waiting}
                </text>
              </g>
            );
          })}
        </svg>
      ) : null}
    </div>
  );
}
