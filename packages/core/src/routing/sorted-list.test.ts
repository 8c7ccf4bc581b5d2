import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DeadlineHeap } from "./deadline-heap.js";
import { SortedList } from "./sorted-list.js";

describe("routing: indexes", () => {
  it("a sorted list stays sorted through inserts and removals, at the front and elsewhere", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 60 })), { maxLength: 3000 }), (ops) => {
        const list = new SortedList<{ v: number }>((a, b) => a.v - b.v);
        const model = new Map<number, { v: number }>();
        for (const [add, v] of ops) {
          const item = model.get(v);
          if (add && !item) {
            const created = { v };
            model.set(v, created);
            list.insert(created);
          } else if (!add && item) {
            model.delete(v);
            expect(list.remove(item)).toBe(true);
          } else if (!add) {
            expect(list.remove({ v })).toBe(false);
          }
          // Removing from the front many times exercises the head offset and its compaction.
          if (v === 0 && list.size > 0) {
            const first = list.first();
            if (first) {
              list.remove(first);
              model.delete(first.v);
            }
          }
        }
        const values = list.toArray().map((i) => i.v);
        expect(values).toEqual([...model.keys()].sort((a, b) => a - b));
        expect([...list].map((i) => i.v)).toEqual(values);
        expect(list.size).toBe(values.length);
      }),
      { numRuns: 100 },
    );
  });

  it("the front of a long line is removed without moving the rest", () => {
    const list = new SortedList<number>((a, b) => a - b);
    for (let i = 0; i < 5000; i++) list.insert(i);
    for (let i = 0; i < 4000; i++) expect(list.remove(i)).toBe(true);
    expect(list.first()).toBe(4000);
    expect(list.at(999)).toBe(4999);
    expect(list.lowerBound(4500)).toBe(500);
  });

  it("the deadline heap pops in time order, ties by rank then key, skipping stale entries", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            at: fc.integer({ min: 0, max: 50 }),
            rank: fc.integer({ min: 0, max: 3 }),
            key: fc.string(),
            stale: fc.boolean(),
          }),
        ),
        (entries) => {
          const heap = new DeadlineHeap<{ stale: boolean }>((d) => !d.ref.stale);
          for (const e of entries) heap.push({ at: e.at, rank: e.rank, key: e.key, ref: { stale: e.stale } });
          const popped: [number, number, string][] = [];
          for (let d = heap.popDue(Number.POSITIVE_INFINITY); d; d = heap.popDue(Number.POSITIVE_INFINITY))
            popped.push([d.at, d.rank, d.key]);
          const expected = entries
            .filter((e) => !e.stale)
            .map((e): [number, number, string] => [e.at, e.rank, e.key])
            .sort((a, b) => a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0));
          expect(popped).toEqual(expected);
        },
      ),
    );
  });
});
