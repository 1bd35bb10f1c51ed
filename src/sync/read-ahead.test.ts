import { describe, expect, it } from "vitest";
import { readAhead } from "./read-ahead.ts";

/** A listing of `n` pages; `requested` counts the pages asked for so far. */
function listing(n: number, options: { failAt?: number } = {}) {
  const state = { requested: 0, returned: false };
  async function* pages(): AsyncGenerator<number> {
    try {
      for (let i = 0; i < n; i++) {
        state.requested++;
        await new Promise((resolve) => setImmediate(resolve));
        if (i === options.failAt) throw new Error(`page ${i} failed`);
        yield i;
      }
    } finally {
      state.returned = true;
    }
  }
  return { state, pages: pages() };
}

const pause = (turns: number) => new Promise<void>((resolve) => {
  let left = turns;
  const next = () => (--left <= 0 ? resolve() : setImmediate(next));
  setImmediate(next);
});

describe("readAhead", () => {
  it("gives every page once, in order, several at a time when they are already in hand", async () => {
    const { pages } = listing(23);
    const batches: number[][] = [];
    for await (const batch of readAhead(pages, 5)) {
      batches.push(batch);
      // A slow writer: the listing runs ahead meanwhile.
      await pause(20);
    }
    expect(batches.flat()).toEqual(Array.from({ length: 23 }, (_, i) => i));
    expect(Math.max(...batches.map((b) => b.length))).toBe(5);
    expect(batches.length).toBeLessThan(23);
  });

  it("gives one page at a time when the writer is faster than the listing", async () => {
    const { pages } = listing(6);
    const batches: number[][] = [];
    for await (const batch of readAhead(pages, 5)) batches.push(batch);
    expect(batches.flat()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(batches[0]).toEqual([0]);
  });

  it("hands over the pages read before a failure, then throws it", async () => {
    const { pages } = listing(10, { failAt: 3 });
    const seen: number[] = [];
    const reading = (async () => {
      for await (const batch of readAhead(pages, 5)) {
        seen.push(...batch);
        await pause(20);
      }
    })();
    await expect(reading).rejects.toThrow("page 3 failed");
    expect(seen).toEqual([0, 1, 2]);
  });

  it("closes the listing when the caller stops early, having asked for at most `most` pages ahead", async () => {
    const { pages, state } = listing(100);
    for await (const batch of readAhead(pages, 3)) {
      expect(batch).toEqual([0]);
      break;
    }
    expect(state.returned).toBe(true);
    expect(state.requested).toBeLessThanOrEqual(4);
  });
});
