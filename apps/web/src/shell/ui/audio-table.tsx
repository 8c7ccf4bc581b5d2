import { Fragment, type ReactNode, useState } from "react";
import { RowActionsHeader } from "./row-actions.js";

export interface AudioRowPlay {
  /** Whether this row's player is open. */
  playing: boolean;
  /** Opens this row's player (closing any other), or closes it. */
  toggle: () => void;
}

/**
 * A table of audio (voicemail, recordings): its column headers, then the actions column; each item's row
 * (`row`, ending in `RowActions` with a `PlayButton`), and under the one being played a row across the
 * table with its player (`player`, a `BlobAudio`). One plays at a time.
 */
export function AudioTable<T extends { id: string }>({
  label,
  columns,
  items,
  row,
  player,
  card = false,
}: {
  /** The table's accessible name. */
  label: string;
  /** The headers of the columns before the actions; an optional one is hidden on phones (its cells `col-optional`). */
  columns: readonly (string | { label: string; optional: true })[];
  items: readonly T[];
  row: (item: T, play: AudioRowPlay) => ReactNode;
  player: (item: T) => ReactNode;
  /** Framed as a card, when the table stands on the page by itself. */
  card?: boolean;
}) {
  const [playing, setPlaying] = useState<string | undefined>(undefined);
  return (
    <div className={card ? "table-wrap card" : "table-wrap"}>
      <table className="table" aria-label={label}>
        <thead>
          <tr>
            {columns.map((column) =>
              typeof column === "string" ? (
                <th key={column} scope="col">
                  {column}
                </th>
              ) : (
                <th key={column.label} scope="col" className="col-optional">
                  {column.label}
                </th>
              ),
            )}
            <RowActionsHeader />
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <Fragment key={item.id}>
              {row(item, {
                playing: playing === item.id,
                toggle: () => setPlaying((current) => (current === item.id ? undefined : item.id)),
              })}
              {playing === item.id ? (
                <tr>
                  <td colSpan={columns.length + 1}>{player(item)}</td>
                </tr>
              ) : null}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A row's Play / Hide button, named for what it plays ("Play the message from 1001"). */
export function PlayButton({ play, name }: { play: AudioRowPlay; name: string }) {
  return (
    <button
      type="button"
      className="btn btn-sm"
      aria-expanded={play.playing}
      aria-label={`${play.playing ? "Hide" : "Play"} ${name}`}
      onClick={play.toggle}
    >
      {play.playing ? "Hide" : "Play"}
    </button>
  );
}
