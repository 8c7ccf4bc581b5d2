/**
 * Reads CSV text (RFC 4180: quoted fields may hold commas, quotes as "" and line breaks) into records,
 * for the import preview; the server does its own parsing. Stops after `maxRecords` records.
 */
export function parseCsv(text: string, maxRecords: number = Number.POSITIVE_INFINITY): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRecord = () => {
    record.push(field);
    field = "";
    if (record.length > 1 || (record[0] ?? "").trim() !== "") records.push(record);
    record = [];
  };
  for (; i < text.length && records.length < maxRecords; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      record.push(field);
      field = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && text[i + 1] === "\n") i++;
      endRecord();
    } else field += char;
  }
  if (records.length < maxRecords && (field !== "" || record.length > 0)) endRecord();
  return records;
}

export interface CsvPreview {
  columns: string[];
  /** The first few data rows. */
  sample: string[][];
  /** Data rows in the whole text (the header not counted). */
  rowCount: number;
  /** Header columns the server does not know: they become attributes. */
  attributeColumns: string[];
  /** Whether a column names the customer: the import needs one. */
  hasName: boolean;
}

/** The column names the server maps to a customer's fields (case-insensitive); others become attributes. */
const KNOWN_COLUMNS = new Set([
  "name",
  "full name",
  "email",
  "e-mail",
  "phone",
  "externalid",
  "external_id",
  "external id",
  "account",
  "account number",
]);

export function previewCsv(text: string, sampleSize = 5): CsvPreview | undefined {
  const records = parseCsv(text);
  const [header, ...rows] = records;
  if (!header) return undefined;
  const columns = header.map((c) => c.trim());
  const lower = columns.map((c) => c.toLowerCase());
  return {
    columns,
    sample: rows.slice(0, sampleSize),
    rowCount: rows.length,
    attributeColumns: columns.filter((_, i) => !KNOWN_COLUMNS.has(lower[i] ?? "")),
    hasName: lower.includes("name") || lower.includes("full name"),
  };
}
