import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** How a nonce a client sent back turned out. */
export type NonceCheck =
  | { readonly kind: "valid"; readonly issuedAt: number }
  /** Ours and intact, but older than the lifetime: the client should retry with a fresh one (`stale=true`). */
  | { readonly kind: "expired"; readonly issuedAt: number }
  /** Not ours, tampered with, or for another realm. */
  | { readonly kind: "invalid" };

export interface NonceOptions {
  /** HMAC key; every node that verifies a nonce another issued must share it. */
  readonly secret: Buffer;
  readonly lifetimeMs: number;
  /** Wall-clock milliseconds (nonces travel between nodes and restarts, so not a process-relative clock). */
  readonly clock: () => number;
}

const TIME_BYTES = 6;
const RANDOM_BYTES = 8;
const MAC_BYTES = 16;
const NONCE_BYTES = TIME_BYTES + RANDOM_BYTES + MAC_BYTES;
/** Clocks of nodes sharing a secret may disagree a little; beyond this a nonce "from the future" is forged. */
const FUTURE_TOLERANCE_MS = 60_000;

/**
 * Stateless nonces (RFC 2617 §3.2.1 suggests this shape): the issue time and 64 random bits, signed with an
 * HMAC over the realm too. Verifying needs no table, so a flood of unanswered challenges costs no memory and
 * any node holding the secret can check what another issued.
 */
export class NonceIssuer {
  constructor(private readonly options: NonceOptions) {}

  static randomSecret(): Buffer {
    return randomBytes(32);
  }

  issue(realm: string): string {
    const bytes = Buffer.alloc(NONCE_BYTES);
    bytes.writeUIntBE(Math.max(0, Math.floor(this.options.clock())), 0, TIME_BYTES);
    randomBytes(RANDOM_BYTES).copy(bytes, TIME_BYTES);
    this.mac(bytes.subarray(0, TIME_BYTES + RANDOM_BYTES), realm).copy(bytes, TIME_BYTES + RANDOM_BYTES);
    return bytes.toString("base64url");
  }

  check(nonce: string, realm: string): NonceCheck {
    if (!/^[A-Za-z0-9_-]{40}$/.test(nonce)) return { kind: "invalid" };
    const bytes = Buffer.from(nonce, "base64url");
    if (bytes.length !== NONCE_BYTES) return { kind: "invalid" };
    const expected = this.mac(bytes.subarray(0, TIME_BYTES + RANDOM_BYTES), realm);
    if (!timingSafeEqual(expected, bytes.subarray(TIME_BYTES + RANDOM_BYTES))) return { kind: "invalid" };
    const issuedAt = bytes.readUIntBE(0, TIME_BYTES);
    const age = this.options.clock() - issuedAt;
    if (age < -FUTURE_TOLERANCE_MS) return { kind: "invalid" };
    return age > this.options.lifetimeMs ? { kind: "expired", issuedAt } : { kind: "valid", issuedAt };
  }

  private mac(data: Buffer, realm: string): Buffer {
    return createHmac("sha256", this.options.secret).update(data).update("\n").update(realm).digest().subarray(0, MAC_BYTES);
  }
}
