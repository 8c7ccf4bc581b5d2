/**
 * The tenant's customer directory: the people the business knows, with the contact details the bot
 * uses to verify who is chatting (a one-time code to the email on file).
 */
export interface Customer {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  /** Lowercase; unique per tenant when set. */
  readonly email: string | null;
  readonly phone: string | null;
  /** The business's own id (account or customer number), unique per tenant when set. */
  readonly externalId: string | null;
  readonly attributes: Readonly<Record<string, string>>;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface CustomerInput {
  readonly name: string;
  readonly email?: string | null;
  readonly phone?: string | null;
  readonly externalId?: string | null;
  readonly attributes?: Record<string, string>;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();
export const looksLikeEmail = (text: string): boolean => EMAIL.test(text.trim());

/** `ada@example.com` → `a**@example.com`: enough for the customer to recognise, little for anyone else. */
export function maskEmail(email: string): string {
  const [local = "", domain = ""] = email.split("@");
  const shown = local.slice(0, 1);
  return `${shown}${"*".repeat(Math.max(local.length - 1, 2))}@${domain}`;
}
