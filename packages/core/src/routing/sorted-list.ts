/**
 * An array kept in order by a comparator that never calls two distinct items equal (give it a unique
 * tie-break). Insertion at the end and removal at the front, the common cases for a waiting line, are
 * O(1); elsewhere O(log n) to find plus a move of the tail. An item's sort key must not change while it
 * is in the list: take it out, change it, put it back.
 */
export class SortedList<T> implements Iterable<T> {
  private items: (T | undefined)[] = [];
  /** Index of the first item: removing the front only moves this forward. */
  private head = 0;

  constructor(private readonly compare: (a: T, b: T) => number) {}

  get size(): number {
    return this.items.length - this.head;
  }

  first(): T | undefined {
    return this.items[this.head];
  }

  /** The item at `index` (0 is the first). */
  at(index: number): T | undefined {
    return index < 0 ? undefined : this.items[this.head + index];
  }

  insert(item: T): void {
    const last = this.items[this.items.length - 1];
    if (this.size === 0 || (last !== undefined && this.compare(last, item) < 0)) {
      this.items.push(item);
      return;
    }
    this.items.splice(this.head + this.lowerBound(item), 0, item);
  }

  /** Removes `item` (by identity); false when it is not in the list. */
  remove(item: T): boolean {
    const index = this.lowerBound(item);
    if (this.items[this.head + index] !== item) return false;
    if (index === 0) {
      this.items[this.head] = undefined;
      this.head += 1;
      if (this.head === this.items.length) {
        this.items = [];
        this.head = 0;
      } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
        this.items = this.items.slice(this.head);
        this.head = 0;
      }
    } else {
      this.items.splice(this.head + index, 1);
    }
    return true;
  }

  /** How many items sort before `item` (whether or not it is in the list). */
  lowerBound(item: T): number {
    let lo = this.head;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(this.items[mid] as T, item) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo - this.head;
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let i = this.head; i < this.items.length; i++) yield this.items[i] as T;
  }

  toArray(): T[] {
    return this.items.slice(this.head) as T[];
  }
}
