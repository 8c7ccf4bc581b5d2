/**
 * RFC 3605 `a=rtcp:<port> [IN IP4|IP6 <address>]`: where the peer wants RTCP when it is not on the RTP port + 1
 * (a NAT that mapped the pair apart, or a gateway that allocates ports one by one). Undefined when malformed.
 */
export function parseRtcpAttribute(value: string): { readonly port: number; readonly address?: string } | undefined {
  const match = /^(\d{1,5})(?:\s+IN\s+IP[46]\s+(\S+))?$/i.exec(value.trim());
  if (!match) return undefined;
  const port = Number(match[1]);
  if (port < 1 || port > 65535) return undefined;
  return match[2] === undefined ? { port } : { port, address: match[2] };
}
