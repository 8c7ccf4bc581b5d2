/** How dates, sizes, names and links are shown in the widget: pure, so the rendering code stays thin. */

export interface FormatOptions {
  /** BCP 47 locale; the browser's by default. */
  locale?: string | undefined;
  /** IANA zone; the browser's by default (tests pin it). */
  timeZone?: string | undefined;
}

const DAY_MS = 86_400_000;

function dayKey(date: Date, timeZone: string | undefined): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(date);
}

/** "14:05" today, "Yesterday, 14:05", "Mon 14:05" within a week, "3 Mar, 14:05" before. */
export function formatMessageTime(date: Date, now: Date, options: FormatOptions = {}): string {
  const { locale, timeZone } = options;
  const time = new Intl.DateTimeFormat(locale, { timeZone, hour: "numeric", minute: "2-digit" }).format(date);
  const today = dayKey(now, timeZone);
  const day = dayKey(date, timeZone);
  if (day === today) return time;
  if (day === dayKey(new Date(now.getTime() - DAY_MS), timeZone)) {
    const yesterday = new Intl.RelativeTimeFormat(locale, { numeric: "auto" }).format(-1, "day");
    return `${yesterday.charAt(0).toLocaleUpperCase(locale)}${yesterday.slice(1)}, ${time}`;
  }
  if (now.getTime() - date.getTime() < 6 * DAY_MS && date.getTime() <= now.getTime()) {
    return `${new Intl.DateTimeFormat(locale, { timeZone, weekday: "short" }).format(date)} ${time}`;
  }
  return `${new Intl.DateTimeFormat(locale, { timeZone, day: "numeric", month: "short" }).format(date)}, ${time}`;
}

/** "820 B", "12 KB", "1.4 MB" (powers of 1024, as file managers show them). */
export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const kb = bytes / 1024;
  if (kb < 1024) return `${kb < 10 ? kb.toFixed(1).replace(/\.0$/, "") : Math.round(kb)} KB`;
  const mb = kb / 1024;
  return `${mb < 10 ? mb.toFixed(1).replace(/\.0$/, "") : Math.round(mb)} MB`;
}

/** Up to two initials of a name, for an avatar: "Northwind Bikes" → "NB". */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : [words[0]];
  return letters
    .map((word) => (word ? (Array.from(word)[0] ?? "") : ""))
    .join("")
    .toLocaleUpperCase();
}

export type TextSegment = { kind: "text"; text: string } | { kind: "link"; text: string; href: string };

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+/gi;
/** Punctuation that ends a sentence rather than a URL: "see https://x.test/a." */
const TRAILING = /[.,;:!?)\]}'"]+$/;

/** Splits message text into plain text and http(s) links, so links render as anchors and nothing as HTML. */
export function linkify(text: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    let url = match[0];
    const trailing = TRAILING.exec(url)?.[0] ?? "";
    // Keep a closing parenthesis that belongs to the URL: https://en.wikipedia.org/wiki/Bike_(disambiguation)
    const keep = trailing.startsWith(")") && url.includes("(") ? 1 : 0;
    url = url.slice(0, url.length - trailing.length + keep);
    const start = match.index;
    if (start > last) segments.push({ kind: "text", text: text.slice(last, start) });
    segments.push({ kind: "link", text: url, href: url });
    last = start + url.length;
  }
  if (last < text.length) segments.push({ kind: "text", text: text.slice(last) });
  return segments;
}

/** An http(s) URL from a message (a card's image or button), or undefined for anything else (javascript:, data:). */
export function safeUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}
