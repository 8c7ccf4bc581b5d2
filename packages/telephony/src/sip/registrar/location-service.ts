import type { TransportProtocol } from "../transaction/model.js";

/** Where a REGISTER really came from: the address a NATed phone is reachable at (RFC 5626's flow, lite). */
export interface BindingSource {
  readonly protocol: TransportProtocol;
  readonly address: string;
  readonly port: number;
}

/** One contact of an address of record (RFC 3261 §10.3). */
export interface Binding {
  /** Canonical address of record (see `addressOfRecord`). */
  readonly aor: string;
  /** The Contact URI as the phone registered it. */
  readonly contact: string;
  readonly callId: string;
  readonly cseq: number;
  /** On the registrar's clock, in milliseconds. */
  readonly expiresAt: number;
  readonly registeredAt: number;
  /** Preference among the contacts of one AOR, 0 to 1 (the Contact's `q`). */
  readonly q?: number;
  readonly source: BindingSource;
  /** The account that registered it. */
  readonly username?: string;
  /** RFC 5626 `+sip.instance`, when the phone sent one. */
  readonly instance?: string;
  readonly userAgent?: string;
}

/**
 * Where bindings are kept: in memory here, a store later. A registrar changes the bindings of one address of
 * record all at once (RFC 3261 §10.3 step 7: a REGISTER succeeds or fails as a whole), so the port is a
 * read and a replace of one AOR's set; the registrar serializes its own changes per AOR.
 */
export interface LocationService {
  /** Bindings of an address of record, expired ones possibly included (callers filter by `expiresAt`). */
  bindings(aor: string): Promise<readonly Binding[]>;
  /** Sets the bindings of an address of record (an empty list removes it). */
  replace(aor: string, bindings: readonly Binding[]): Promise<void>;
  /** Addresses of record with at least one binding (for the admin console and tests). */
  addresses(): Promise<readonly string[]>;
}

/** The location service of a single node: a map. */
export class MemoryLocationService implements LocationService {
  private readonly map = new Map<string, readonly Binding[]>();

  async bindings(aor: string): Promise<readonly Binding[]> {
    return this.map.get(aor) ?? [];
  }

  async replace(aor: string, bindings: readonly Binding[]): Promise<void> {
    if (bindings.length === 0) this.map.delete(aor);
    else this.map.set(aor, [...bindings]);
  }

  async addresses(): Promise<readonly string[]> {
    return [...this.map.keys()];
  }
}
