import type { CallRecord } from "@switchboard/protocol";
import { useId } from "react";
import { useWidth } from "../../shell/data/use-width.js";
import { formatDate, formatTime } from "../../shell/format/time.js";
import { bucketLabel, callVolume, scale, type VolumeBar } from "./call-volume.js";

const HEIGHT = 150;
const AXIS = 22;
const LEFT = 28;
const TOP = 8;

const barLabel = (start: number, hours: number): string => {
  const iso = new Date(start).toISOString();
  return hours >= 24 ? formatDate(iso) : `${formatDate(iso)} ${formatTime(iso)}`;
};

/**
 * The listed calls per hour as columns (wider buckets when the page spans days), answered calls below and
 * the others stacked above them; drawn by hand in SVG at its real width, so its text stays legible.
 */
export function CallVolumeChart({ calls }: { calls: readonly CallRecord[] }) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const titleId = useId();
  const volume = callVolume(calls);
  const { top, ticks } = scale(volume.max);
  const plotWidth = Math.max(40, width - LEFT - 4);
  const plotHeight = HEIGHT - AXIS - TOP;
  const slot = volume.bars.length > 0 ? plotWidth / volume.bars.length : plotWidth;
  const barWidth = Math.max(2, Math.min(36, slot * 0.7));
  const y = (value: number) => TOP + plotHeight - (value / top) * plotHeight;
  // A label every few bars, so that they never overlap (about 56 px each).
  const every = Math.max(1, Math.ceil(56 / slot));
  const per = bucketLabel(volume.hours);
  const summary = volume.bars
    .filter((b) => b.answered + b.unanswered > 0)
    .map((b) => `${barLabel(b.start, volume.hours)}: ${b.answered + b.unanswered}`)
    .join(", ");

  return (
    <figure className="volume">
      <figcaption className="volume-caption">
        <span className="volume-title">Calls {per}</span>
        <span className="volume-legend" aria-hidden="true">
          <span className="legend-item">
            <span className="legend-swatch volume-answered" /> Answered
          </span>
          <span className="legend-item">
            <span className="legend-swatch volume-unanswered" /> Not answered
          </span>
        </span>
      </figcaption>
      <div className="chart" ref={ref}>
        {width > 0 ? (
          <svg width={width} height={HEIGHT} viewBox={`0 0 ${width} ${HEIGHT}`} role="img" aria-labelledby={titleId}>
            <title id={titleId}>{`Calls ${per} over the listed calls: ${summary || "none"}`}</title>
            {ticks.map((t) => (
              <g key={t}>
                <line x1={LEFT} x2={width} y1={y(t)} y2={y(t)} className="chart-grid" />
                <text x={LEFT - 8} y={y(t)} className="chart-tick" textAnchor="end" dominantBaseline="central">
                  {t}
                </text>
              </g>
            ))}
            {volume.bars.map((bar, i) => (
              <Column
                key={bar.start}
                bar={bar}
                x={LEFT + i * slot + (slot - barWidth) / 2}
                width={barWidth}
                y={y}
                label={barLabel(bar.start, volume.hours)}
              />
            ))}
            {volume.bars.map((bar, i) =>
              i % every === 0 ? (
                <text key={bar.start} x={LEFT + i * slot + slot / 2} y={HEIGHT - 6} className="chart-tick" textAnchor="middle">
                  {volume.hours >= 24
                    ? formatDate(new Date(bar.start).toISOString())
                    : formatTime(new Date(bar.start).toISOString())}
                </text>
              ) : null,
            )}
          </svg>
        ) : null}
      </div>
    </figure>
  );
}

function Column({
  bar,
  x,
  width,
  y,
  label,
}: {
  bar: VolumeBar;
  x: number;
  width: number;
  y: (value: number) => number;
  label: string;
}) {
  const total = bar.answered + bar.unanswered;
  return (
    <g>
      <title>{`${label}: ${total} call${total === 1 ? "" : "s"}, ${bar.answered} answered`}</title>
      {/* The whole slot answers to the pointer, so a short bar still shows its title. */}
      <rect x={x} y={TOP} width={width} height={HEIGHT - AXIS - TOP} className="volume-hit" />
      {bar.answered > 0 ? (
        <rect x={x} y={y(bar.answered)} width={width} height={y(0) - y(bar.answered)} rx={2} className="volume-answered" />
      ) : null}
      {bar.unanswered > 0 ? (
        <rect x={x} y={y(total)} width={width} height={y(bar.answered) - y(total)} rx={2} className="volume-unanswered" />
      ) : null}
    </g>
  );
}
