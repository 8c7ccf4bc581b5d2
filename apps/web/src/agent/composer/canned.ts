/** A ready-made answer: typed as `/shortcut` in the composer, or picked from the list. */
export interface CannedResponse {
  readonly shortcut: string;
  readonly title: string;
  /** `{customer}` and `{agent}` become first names ("there" when the customer's is unknown). */
  readonly text: string;
}

/** The built-in set: the moments of nearly every chat. */
export const CANNED_RESPONSES: readonly CannedResponse[] = [
  {
    shortcut: "hi",
    title: "Greeting",
    text: "Hi {customer}, this is {agent}. Thanks for waiting! I've read your chat with our assistant, so I'll take it from here.",
  },
  { shortcut: "look", title: "Looking into it", text: "Thanks, let me look into that for you. It'll take a minute or two." },
  { shortcut: "hold", title: "Still working on it", text: "Thanks for your patience, I'm still on it and will be right back." },
  {
    shortcut: "verify",
    title: "Ask to verify",
    text: "Before I can share account details I need to make sure it's you. Could you confirm the email address on your account?",
  },
  {
    shortcut: "order",
    title: "Ask for the order number",
    text: "Could you give me your order number? You'll find it in your order confirmation email.",
  },
  {
    shortcut: "transfer",
    title: "Passing to a colleague",
    text: "I'm passing you to a colleague who can help with this. They'll see our whole conversation, so you won't need to repeat anything.",
  },
  { shortcut: "else", title: "Anything else?", text: "Is there anything else I can help you with today?" },
  { shortcut: "bye", title: "Closing", text: "Thanks for getting in touch, {customer}. Have a great day!" },
];

/**
 * The search a draft asks for: a draft that is `/` and a word (nothing else) opens the list; anything else
 * is ordinary text, so a slash mid-sentence or a path like `/etc/hosts` with a space after stays as typed.
 */
export function cannedQuery(draft: string): string | undefined {
  const match = /^\/([\p{L}\p{N}_-]*)$/u.exec(draft);
  return match ? (match[1] ?? "").toLowerCase() : undefined;
}

/** The responses that fit a query: shortcuts that start with it first, then titles, then texts containing it. */
export function matchCanned(query: string, responses: readonly CannedResponse[] = CANNED_RESPONSES): CannedResponse[] {
  const q = query.trim().toLowerCase();
  if (q === "") return [...responses];
  const rank = (r: CannedResponse): number => {
    if (r.shortcut.startsWith(q)) return 0;
    if (r.title.toLowerCase().includes(q)) return 1;
    if (r.text.toLowerCase().includes(q)) return 2;
    return 3;
  };
  return responses
    .map((r, index) => ({ r, rank: rank(r), index }))
    .filter((x) => x.rank < 3)
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((x) => x.r);
}

export interface CannedContext {
  customer?: string | null | undefined;
  agent?: string | null | undefined;
}

const firstName = (name: string | null | undefined): string | undefined => {
  const first = name?.trim().split(/\s+/)[0];
  return first && first.length > 0 ? first : undefined;
};

/** The response's text with names filled in. */
export function fillCanned(text: string, context: CannedContext): string {
  return text
    .replace(/\{customer\}/g, firstName(context.customer) ?? "there")
    .replace(/\{agent\}/g, firstName(context.agent) ?? "your agent");
}

/** A draft that is exactly a known `/shortcut`, expanded; undefined for anything else. */
export function expandShortcut(
  draft: string,
  context: CannedContext,
  responses: readonly CannedResponse[] = CANNED_RESPONSES,
): string | undefined {
  const query = cannedQuery(draft.trim());
  if (query === undefined) return undefined;
  const found = responses.find((r) => r.shortcut === query);
  return found ? fillCanned(found.text, context) : undefined;
}
