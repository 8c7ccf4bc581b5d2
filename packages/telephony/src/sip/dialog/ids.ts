import { randomBytes } from "node:crypto";

/** A From or To tag: 64 random bits (RFC 3261 §19.3 asks for at least 32). */
export function newTag(): string {
  return randomBytes(8).toString("hex");
}

/** A Call-ID unique in space and time (§8.1.1.4). */
export function newCallId(host: string): string {
  return `${randomBytes(12).toString("hex")}@${host}`;
}
