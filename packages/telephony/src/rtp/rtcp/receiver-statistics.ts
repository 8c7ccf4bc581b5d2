import { timestampDelta } from "../packet/rtp-packet.js";
import type { RtcpReportBlock } from "./rtcp-packet.js";

const SEQ_MOD = 0x10000;
/** RFC 3550 A.1: a jump forward this large is a restart or a stray, not loss. */
const MAX_DROPOUT = 3000;
/** … and one back this far is a late or duplicate packet. */
const MAX_MISORDER = 100;
/** Packets in sequence before a new source counts (A.1's probation). */
const MIN_SEQUENTIAL = 2;

/**
 * What we received of one source (an SSRC), per RFC 3550 Appendix A: sequence validation and the extended highest
 * sequence number (A.1), expected, lost and the fraction lost per report interval (A.3), and the interarrival
 * jitter (A.8). One deviation: the packets of the probation are counted once it ends (the reference code
 * restarts its counts on the last of them), so that a call's first packet is not missing from the totals.
 */
export class RtpSourceStatistics {
  private probation = MIN_SEQUENTIAL;
  private maxSequence = 0;
  private cycles = 0;
  /** Extended base: may be below 0 when the probation straddled a wrap. */
  private base = 0;
  private badSequence = SEQ_MOD + 1;
  private receivedCount = 0;
  private expectedPrior = 0;
  private receivedPrior = 0;
  private jitterUnits = 0;
  private lastArrivalMs: number | undefined;
  private lastTimestamp = 0;
  /** Wall-clock ms of the last packet of any kind. */
  lastHeardMs = 0;
  /** Packets received since the last report block was made. */
  private sinceReport = 0;

  constructor(
    readonly ssrc: number,
    firstSequence: number,
    private readonly clockRate = 8000,
  ) {
    this.maxSequence = (firstSequence - 1) & 0xffff;
  }

  /**
   * Takes one packet. `timing: false` keeps it out of the jitter (an RFC 4733 event keeps its start timestamp for
   * the whole event, so its transit time says nothing about the network). False when the packet was not counted:
   * probation, or a jump the source has not confirmed.
   */
  received(sequenceNumber: number, timestamp: number, arrivalMs: number, timing = true): boolean {
    this.lastHeardMs = arrivalMs;
    if (!this.updateSequence(sequenceNumber)) return false;
    this.sinceReport++;
    if (timing) {
      if (this.lastArrivalMs !== undefined) {
        // D(i-1, i) = (R_i − R_i-1) − (S_i − S_i-1), in timestamp units; J += (|D| − J) / 16.
        const d = ((arrivalMs - this.lastArrivalMs) * this.clockRate) / 1000 - timestampDelta(timestamp, this.lastTimestamp);
        this.jitterUnits += (Math.abs(d) - this.jitterUnits) / 16;
      }
      this.lastArrivalMs = arrivalMs;
      this.lastTimestamp = timestamp;
    }
    return true;
  }

  private updateSequence(sequence: number): boolean {
    const delta = (sequence - this.maxSequence) & 0xffff;
    if (this.probation > 0) {
      if (sequence === ((this.maxSequence + 1) & 0xffff)) {
        this.probation--;
        this.maxSequence = sequence;
        if (this.probation === 0) {
          this.restart(sequence);
          this.base = sequence - (MIN_SEQUENTIAL - 1);
          this.receivedCount = MIN_SEQUENTIAL;
          return true;
        }
      } else {
        this.probation = MIN_SEQUENTIAL - 1;
        this.maxSequence = sequence;
      }
      return false;
    }
    if (delta < MAX_DROPOUT) {
      if (sequence < this.maxSequence) this.cycles += SEQ_MOD;
      this.maxSequence = sequence;
    } else if (delta <= SEQ_MOD - MAX_MISORDER) {
      // A big jump: believe it only when the next packet follows it (the sender restarted).
      if (sequence !== this.badSequence) {
        this.badSequence = (sequence + 1) & 0xffff;
        return false;
      }
      this.restart(sequence);
    }
    // Otherwise a duplicate or a late packet: counted as received, which is why `lost` can go negative.
    this.receivedCount++;
    return true;
  }

  private restart(sequence: number): void {
    this.base = sequence;
    this.maxSequence = sequence;
    this.badSequence = SEQ_MOD + 1;
    this.cycles = 0;
    this.receivedCount = 0;
    this.receivedPrior = 0;
    this.expectedPrior = 0;
    this.lastArrivalMs = undefined;
  }

  /** False until the source passed its probation. */
  get valid(): boolean {
    return this.probation === 0;
  }

  get extendedHighestSequence(): number {
    return this.cycles + this.maxSequence;
  }

  get expected(): number {
    return this.valid ? this.extendedHighestSequence - this.base + 1 : 0;
  }

  get packetsReceived(): number {
    return this.receivedCount;
  }

  /** Expected minus received since the start (negative with duplicates). */
  get cumulativeLost(): number {
    return this.expected - this.receivedCount;
  }

  /** Interarrival jitter in timestamp units. */
  get jitter(): number {
    return this.jitterUnits;
  }

  get jitterMs(): number {
    return (this.jitterUnits * 1000) / this.clockRate;
  }

  /** Whether a packet arrived since the last block: RFC 3550 reports only on sources heard in the interval. */
  get heardSinceReport(): boolean {
    return this.sinceReport > 0;
  }

  /**
   * A reception report block, closing the interval (A.3): the fraction lost is over the packets expected since
   * the previous block. `lastSenderReport` and `delay` come from the SR this source sent last, if any.
   */
  reportBlock(lastSenderReport = 0, delaySinceLastSenderReport = 0): RtcpReportBlock {
    const expected = this.expected;
    const expectedInterval = expected - this.expectedPrior;
    const receivedInterval = this.receivedCount - this.receivedPrior;
    this.expectedPrior = expected;
    this.receivedPrior = this.receivedCount;
    this.sinceReport = 0;
    const lostInterval = expectedInterval - receivedInterval;
    return {
      ssrc: this.ssrc,
      fractionLost: expectedInterval === 0 || lostInterval <= 0 ? 0 : Math.floor((lostInterval * 256) / expectedInterval),
      cumulativeLost: this.cumulativeLost,
      highestSequence: this.extendedHighestSequence >>> 0,
      jitter: Math.floor(this.jitterUnits) >>> 0,
      lastSenderReport,
      delaySinceLastSenderReport,
    };
  }
}
