import { decodedUser, parseSipUri } from "../uri/uri.js";

/**
 * The canonical form of an address of record, the key of its bindings (RFC 3261 §10.3 step 5): scheme, the
 * user unescaped, the host lowercased; URI parameters and headers removed. The port is dropped too, a
 * deliberate narrowing: phones write the registrar's port into To inconsistently (`sip:1001@pbx` and
 * `sip:1001@pbx:5060` are the same phone), and this registrar serves its domains on every port.
 * Undefined for anything that is not a SIP URI with a user.
 */
export function addressOfRecord(uri: string): string | undefined {
  const parsed = parseSipUri(uri.trim());
  if (!parsed) return undefined;
  const user = decodedUser(parsed);
  if (user === undefined || user === "") return undefined;
  return `${parsed.scheme}:${user}@${parsed.host.toLowerCase()}`;
}
