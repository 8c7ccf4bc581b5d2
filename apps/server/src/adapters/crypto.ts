import { createHash, randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";
import { API_KEY_PREFIX, type DigestHash, type PasswordHasher, type SecretGenerator } from "@switchboard/core";

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number, options: object) => Promise<Buffer>;

/** scrypt with N=2^15, r=8, p=1 (about 32 MiB and a few tens of ms per hash). Format: `scrypt$N$r$p$salt$hash`. */
export class ScryptPasswordHasher implements PasswordHasher {
  constructor(private readonly cost = 2 ** 15) {}

  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const key = await scryptAsync(password, salt, 32, { N: this.cost, r: 8, p: 1, maxmem: 128 * this.cost * 8 * 2 });
    return ["scrypt", this.cost, 8, 1, salt.toString("base64url"), key.toString("base64url")].join("$");
  }

  async verify(password: string, stored: string): Promise<boolean> {
    const [scheme, n, r, p, salt, hash] = stored.split("$");
    if (scheme !== "scrypt" || !n || !r || !p || !salt || !hash) {
      // Burn comparable time for unknown users, then fail.
      await this.hash(password);
      return false;
    }
    const expected = Buffer.from(hash, "base64url");
    const cost = Number(n);
    const actual = await scryptAsync(password, Buffer.from(salt, "base64url"), expected.length, {
      N: cost,
      r: Number(r),
      p: Number(p),
      maxmem: 128 * cost * Number(r) * 2,
    });
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }
}

/** API key secrets: `sk_` and 32 random bytes; looked up by their SHA-256 (they have full entropy, no salt needed). */
export const apiKeySecrets: SecretGenerator = {
  newSecret: () => `${API_KEY_PREFIX}${randomBytes(32).toString("base64url")}`,
  digest: (secret) => createHash("sha256").update(secret).digest("base64url"),
};

export const randomSigningKey = (): string => randomBytes(32).toString("base64url");

/** MD5 for SIP digest authentication (RFC 2617/3261 require it; it is no password hash). */
export const md5Digest: DigestHash = { md5: (text) => createHash("md5").update(text, "utf8").digest("hex") };
