import { SIP_VERSION, type SipMessage } from "./model.js";

/** Writes a message with full header names, one line per value, and Content-Length from the body. */
export function serializeSipMessage(message: SipMessage): Buffer {
  let head =
    message.type === "request"
      ? `${message.method} ${message.uri} ${SIP_VERSION}\r\n`
      : `${SIP_VERSION} ${message.status} ${message.reason}\r\n`;
  for (const { name, value } of message.headers.entries()) head += `${name}: ${value}\r\n`;
  head += `Content-Length: ${message.body.length}\r\n\r\n`;
  if (message.body.length === 0) return Buffer.from(head, "utf8");
  const headBytes = Buffer.from(head, "utf8");
  return Buffer.concat([headBytes, message.body], headBytes.length + message.body.length);
}
