import { randomBytes } from "node:crypto";
import { BRANCH_MAGIC_COOKIE } from "../message/via.js";

/** A fresh RFC 3261 branch: the magic cookie and 64 random bits, unique across space and time (§8.1.1.7). */
export function newBranch(): string {
  return `${BRANCH_MAGIC_COOKIE}${randomBytes(8).toString("hex")}`;
}
