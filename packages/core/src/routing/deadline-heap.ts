/**
 * The engine's one timer: a min-heap of due times. Entries are never updated in place; a changed or
 * cancelled deadline leaves a stale entry behind, which `isCurrent` recognizes when it reaches the top.
 * Ties are broken by kind and key, so the order does not depend on insertion history (a restored engine
 * fires the same deadlines in the same order as the one it was taken from).
 */
export interface Deadline<R> {
  readonly at: number;
  /** Lower fires first among equal times. */
  readonly rank: number;
  readonly key: string;
  readonly ref: R;
}

export class DeadlineHeap<R> {
  private readonly heap: Deadline<R>[] = [];

  constructor(private readonly isCurrent: (entry: Deadline<R>) => boolean) {}

  get size(): number {
    return this.heap.length;
  }

  push(entry: Deadline<R>): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent] as Deadline<R>;
      if (before(p, entry)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = entry;
  }

  /** The earliest current deadline, dropping stale ones on the way. */
  peek(): Deadline<R> | undefined {
    for (;;) {
      const top = this.heap[0];
      if (top === undefined || this.isCurrent(top)) return top;
      this.pop();
    }
  }

  /** Removes and returns the earliest current deadline due at or before `now`. */
  popDue(now: number): Deadline<R> | undefined {
    const top = this.peek();
    if (top === undefined || top.at > now) return undefined;
    this.pop();
    return top;
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop();
    if (last === undefined || heap.length === 0) return;
    let i = 0;
    const n = heap.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let child = l;
      if (r < n && before(heap[r] as Deadline<R>, heap[l] as Deadline<R>)) child = r;
      const c = heap[child] as Deadline<R>;
      if (before(last, c)) break;
      heap[i] = c;
      i = child;
    }
    heap[i] = last;
  }
}

function before<R>(a: Deadline<R>, b: Deadline<R>): boolean {
  if (a.at !== b.at) return a.at < b.at;
  if (a.rank !== b.rank) return a.rank < b.rank;
  return a.key < b.key;
}
