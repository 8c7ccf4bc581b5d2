import { DomainError } from "@switchboard/core";
import { digestHa1 } from "../message/digest.js";
import { type IpNetwork, networkContains, parseIpAddress, parseIpNetwork } from "./ip-network.js";

/**
 * A carrier's or PBX's way in (the shape of the core's `Trunk.inbound`): the addresses it sends from, and
 * optionally a digest account. With both, a call must come from an allowed address and authenticate; with
 * only an account (no allow list), it may come from anywhere and must authenticate.
 */
export interface InboundTrunk {
  readonly id: string;
  /** IPv4 and IPv6 addresses or CIDR networks the trunk sends from. */
  readonly allow?: readonly string[];
  readonly digest?: {
    readonly username: string;
    /** The password, or its H(A1) for the authenticator's realm (then only that realm can verify it). */
    readonly password?: string;
    readonly ha1?: string;
  };
}

/** Who sent a new call, as the source address alone can tell. */
export type TrunkMatch =
  /**
   * Admitted by address: the trunks whose allow lists hold it and need no digest, most specific network
   * first. Several trunks (tenants' BYOC trunks on one carrier) may share an address: the dialled number
   * tells which one the call is for.
   */
  | { readonly kind: "trunk"; readonly trunks: readonly InboundTrunk[] }
  /**
   * Must authenticate (407) with the account of one of `trunks` (allow-listed trunks that also want digest,
   * or else digest-only trunks), or, when `users`, with any account the authenticator knows.
   */
  | { readonly kind: "authenticate"; readonly trunks: readonly InboundTrunk[]; readonly users: boolean }
  | { readonly kind: "forbidden" };

export interface TrunkMatcherOptions {
  /** Whether accounts other than trunks' (agents' phones) may place calls by answering the challenge. */
  readonly usersMayCall?: boolean;
}

interface CompiledTrunk {
  readonly trunk: InboundTrunk;
  readonly networks: readonly IpNetwork[];
}

/**
 * Decides from a request's source address which configured trunks it belongs to, or that the caller must
 * authenticate by digest, or that it is refused (403). Pure: the trunk list is given and compiled once (a
 * malformed network fails at construction, not at the first call).
 */
export class TrunkMatcher {
  private readonly compiled: readonly CompiledTrunk[];
  private readonly digestOnly: readonly InboundTrunk[];

  constructor(
    trunks: readonly InboundTrunk[],
    private readonly options: TrunkMatcherOptions = {},
  ) {
    this.compiled = trunks.map((trunk) => ({
      trunk,
      networks: (trunk.allow ?? []).map((text) => {
        const network = parseIpNetwork(text);
        if (!network) {
          throw new DomainError("sip.trunk_network_invalid", "invalid", `Trunk ${trunk.id}: "${text}" is not an IP network.`);
        }
        return network;
      }),
    }));
    this.digestOnly = trunks.filter((trunk) => trunk.digest !== undefined && (trunk.allow ?? []).length === 0);
  }

  match(address: string): TrunkMatch {
    const allowing = this.allowing(address);
    const open = allowing.filter((trunk) => trunk.digest === undefined);
    if (open.length > 0) return { kind: "trunk", trunks: open };
    const users = this.options.usersMayCall ?? false;
    if (allowing.length > 0) return { kind: "authenticate", trunks: allowing, users };
    if (this.digestOnly.length > 0 || users) return { kind: "authenticate", trunks: this.digestOnly, users };
    return { kind: "forbidden" };
  }

  /** Whether the address is on some trunk's allow list (such sources are exempt from flood limits). */
  isTrunkAddress(address: string): boolean {
    return this.allowing(address).length > 0;
  }

  /** Trunks whose allow list holds the address, the most specific network first (stable for ties). */
  private allowing(address: string): InboundTrunk[] {
    const bytes = parseIpAddress(address);
    if (!bytes) return [];
    const found: { trunk: InboundTrunk; prefix: number }[] = [];
    for (const { trunk, networks } of this.compiled) {
      let prefix = -1;
      for (const network of networks) if (network.prefix > prefix && networkContains(network, bytes)) prefix = network.prefix;
      if (prefix >= 0) found.push({ trunk, prefix });
    }
    return found.sort((a, b) => b.prefix - a.prefix).map((entry) => entry.trunk);
  }
}

/** H(A1) of the trunk among `trunks` whose digest account is `username`, for the authenticator's lookup. */
export function trunkHa1(trunks: readonly InboundTrunk[], username: string, realm: string): string | undefined {
  const digest = trunks.find((trunk) => trunk.digest?.username === username)?.digest;
  if (!digest) return undefined;
  if (digest.password !== undefined) return digestHa1(username, realm, digest.password);
  return digest.ha1;
}
