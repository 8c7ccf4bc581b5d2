import { formatUri, parseUri } from "../uri/uri.js";

/**
 * RFC 3891 Replaces: the dialog an attended transfer's target call is to take the place of. In a REFER's
 * Refer-To it rides as a URI header (`<sip:1002@pbx?Replaces=abc%40host%3Bto-tag%3D1%3Bfrom-tag%3D2>`):
 * the referrer consulted the target on that dialog and asks that the target take the call over.
 */
export interface Replaces {
  readonly callId: string;
  /** The tag of the dialog's side that is to be replaced's peer: at its recipient, its local tag. */
  readonly toTag: string;
  /** The referrer's own tag on that dialog: at the recipient, the remote tag. */
  readonly fromTag: string;
  readonly earlyOnly: boolean;
}

/** Parses a Replaces header value (`callid;to-tag=x;from-tag=y[;early-only]`); undefined when malformed. */
export function parseReplaces(value: string): Replaces | undefined {
  const [callId, ...params] = value.split(";").map((part) => part.trim());
  if (!callId) return undefined;
  let toTag: string | undefined;
  let fromTag: string | undefined;
  let earlyOnly = false;
  for (const param of params) {
    const equals = param.indexOf("=");
    const name = (equals === -1 ? param : param.slice(0, equals)).toLowerCase();
    const text = equals === -1 ? "" : param.slice(equals + 1);
    if (name === "to-tag") toTag = text;
    else if (name === "from-tag") fromTag = text;
    else if (name === "early-only") earlyOnly = true;
  }
  return toTag && fromTag ? { callId, toTag, fromTag, earlyOnly } : undefined;
}

/**
 * A Refer-To URI split into where it points (headers dropped) and the Replaces it carries, if any.
 * Undefined when the URI does not parse or carries a malformed Replaces.
 */
export function splitReferTo(referTo: string): { readonly uri: string; readonly replaces?: Replaces } | undefined {
  const parsed = parseUri(referTo);
  if (!parsed.ok) return undefined;
  const uri = parsed.uri;
  if (uri.scheme === "tel" || uri.headers.length === 0) return { uri: referTo };
  const header = uri.headers.find(([name]) => name.toLowerCase() === "replaces");
  const bare = formatUri({ ...uri, headers: [] });
  if (header === undefined) return { uri: bare };
  const replaces = parseReplaces(unescapeValue(header[1]));
  return replaces ? { uri: bare, replaces } : undefined;
}

/**
 * Whether the dialog (as its recipient holds it) is the one Replaces names: same Call-ID, our tag is the
 * to-tag and the peer's the from-tag. Tags the other way round are taken too: some phones swap them.
 */
export function replacesDialog(replaces: Replaces, dialog: { callId: string; localTag: string; remoteTag: string }): boolean {
  if (replaces.callId !== dialog.callId) return false;
  return (
    (replaces.toTag === dialog.localTag && replaces.fromTag === dialog.remoteTag) ||
    (replaces.toTag === dialog.remoteTag && replaces.fromTag === dialog.localTag)
  );
}

function unescapeValue(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
