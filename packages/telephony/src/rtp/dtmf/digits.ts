export type DtmfDigit = "0" | "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "*" | "#" | "A" | "B" | "C" | "D";

/** RFC 4733 §3.2 event codes 0-15, in order. */
export const DTMF_DIGITS: readonly DtmfDigit[] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "#", "A", "B", "C", "D"];

export function isDtmfDigit(value: string): value is DtmfDigit {
  return (DTMF_DIGITS as readonly string[]).includes(value);
}

export const eventCodeOf = (digit: DtmfDigit): number => DTMF_DIGITS.indexOf(digit);
export const digitOfEventCode = (code: number): DtmfDigit | undefined => DTMF_DIGITS[code];

/** Where a digit was heard: an RTP telephone-event, a tone in the audio, or a SIP INFO. */
export type DtmfSource = "rfc4733" | "inband" | "info";

export interface DtmfEvent {
  readonly digit: DtmfDigit;
  readonly source: DtmfSource;
}

const ROWS = [697, 770, 852, 941] as const;
const COLUMNS = [1209, 1336, 1477, 1633] as const;
const KEYPAD: readonly (readonly DtmfDigit[])[] = [
  ["1", "2", "3", "A"],
  ["4", "5", "6", "B"],
  ["7", "8", "9", "C"],
  ["*", "0", "#", "D"],
];

export const DTMF_ROW_FREQUENCIES: readonly number[] = ROWS;
export const DTMF_COLUMN_FREQUENCIES: readonly number[] = COLUMNS;

export function digitAt(row: number, column: number): DtmfDigit | undefined {
  return KEYPAD[row]?.[column];
}

/** The (low, high) frequency pair of a key. */
export function frequenciesOf(digit: DtmfDigit): readonly [number, number] {
  for (let row = 0; row < 4; row++) {
    const column = KEYPAD[row]?.indexOf(digit) ?? -1;
    if (column !== -1) return [ROWS[row] as number, COLUMNS[column] as number];
  }
  return [0, 0];
}
