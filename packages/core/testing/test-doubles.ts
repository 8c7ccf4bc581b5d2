import type { AccessTokenClaims } from "../src/identity/model.js";
import type { PasswordHasher, SecretGenerator, TokenSigner } from "../src/identity/ports.js";
import type { DigestHash } from "../src/telephony/ports.js";
import type { CodeGenerator, EmailSender, OutgoingEmail } from "../src/verification/ports.js";

/**
 * Transparent doubles of the crypto and messaging ports for unit tests: same contracts (expiry,
 * tamper detection, uniqueness), no real cryptography, and everything they do can be inspected.
 */
export const transparentTokens: TokenSigner = {
  async sign(claims) {
    return `t.${btoa(JSON.stringify(claims))}`;
  },
  async verify(token, now) {
    if (!token.startsWith("t.")) return undefined;
    try {
      const raw = JSON.parse(atob(token.slice(2))) as AccessTokenClaims & { expiresAt: string };
      const claims = { ...raw, expiresAt: new Date(raw.expiresAt) };
      return claims.expiresAt.getTime() > now.getTime() ? claims : undefined;
    } catch {
      return undefined;
    }
  },
};

export const plainPasswords: PasswordHasher = {
  hash: async (p) => `h:${p}`,
  verify: async (p, h) => h === `h:${p}`,
};

export function countingSecrets(): SecretGenerator {
  let n = 0;
  return { newSecret: () => `sk_secret_${++n}`, digest: (s) => `d:${s}` };
}

/** Not MD5, but as deterministic: `md5(<text>)`, so a test can see what was hashed. */
export const transparentDigest: DigestHash = { md5: (text) => `md5(${text})` };

/** Codes from a list, in turn (then repeating the last). */
export function scriptedCodes(...codes: string[]): CodeGenerator {
  let i = 0;
  return { code: () => codes[Math.min(i++, codes.length - 1)] ?? "000000" };
}

/** An email sender that keeps what it sends. */
export class OutboxEmail implements EmailSender {
  readonly sent: OutgoingEmail[] = [];
  async send(email: OutgoingEmail): Promise<void> {
    this.sent.push(email);
  }
}
