import type { DialFailure, DialOptions, DialOutcome } from "./dialer.js";

/** One way of reaching the party (a desk phone, a browser): rings until it answers, fails, or `abandon` settles. */
export type DialBranch = (options: DialOptions) => Promise<DialOutcome>;

/** What a branch's `abandon` settles with when another branch answered (otherwise: the caller gave up). */
export const ANSWERED_ELSEWHERE = "answered elsewhere";
/** What a branch's `abandon` settles with when the party declined the call on another of their devices. */
export const DECLINED_ELSEWHERE = "declined elsewhere";

/** Which failure says most about why nobody answered, when every branch failed. */
const FAILURE_ORDER: readonly DialFailure[] = ["busy", "rejected", "no-answer", "unreachable", "not-registered", "cancelled"];

/**
 * Rings every branch at once; the first to answer gets the call and the others stop ringing (each branch
 * is given an `abandon` that settles when the caller gave up, or with `ANSWERED_ELSEWHERE` when another won).
 * A branch that answers just after another won is hung up. A decline (`rejected`: the person refused the
 * call, SIP's 603) ends every branch, as a 6xx does in SIP forking; busy on one device does not. When none
 * answers, the outcome is the most telling failure: busy before refused before no answer before unreachable
 * before not registered; `cancelled` when the caller gave up.
 */
export async function forkDial(branches: readonly DialBranch[], options: DialOptions): Promise<DialOutcome> {
  if (branches.length === 0) return { ok: false, failure: "not-registered" };
  if (branches.length === 1 && branches[0]) return branches[0](options);
  let decide: (why: typeof ANSWERED_ELSEWHERE | typeof DECLINED_ELSEWHERE) => void = () => undefined;
  const decided = new Promise<typeof ANSWERED_ELSEWHERE | typeof DECLINED_ELSEWHERE>((resolve) => {
    decide = resolve;
  });
  let callerGaveUp = false;
  void options.abandon?.then(
    () => {
      callerGaveUp = true;
    },
    () => undefined,
  );
  const abandon = options.abandon ? Promise.race([options.abandon, decided]) : decided;
  let winner: DialOutcome | undefined;
  let declined: DialOutcome | undefined;
  const outcomes = await Promise.all(
    branches.map(async (branch) => {
      const outcome = await branch({ ...options, abandon });
      if (outcome.ok) {
        if (winner === undefined && declined === undefined) {
          winner = outcome;
          decide(ANSWERED_ELSEWHERE);
        } else {
          await outcome.leg.hangup(ANSWERED_ELSEWHERE);
        }
      } else if (outcome.failure === "rejected" && winner === undefined && declined === undefined) {
        declined = outcome;
        decide(DECLINED_ELSEWHERE);
      }
      return outcome;
    }),
  );
  if (winner !== undefined) return winner;
  if (declined !== undefined) return declined;
  if (callerGaveUp) return { ok: false, failure: "cancelled", status: 487 };
  const failures = outcomes.flatMap((o) => (o.ok ? [] : [o]));
  for (const failure of FAILURE_ORDER) {
    const found = failures.find((f) => f.failure === failure);
    if (found) return found;
  }
  return failures[0] ?? { ok: false, failure: "not-registered" };
}
