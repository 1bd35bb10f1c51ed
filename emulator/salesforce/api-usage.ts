/**
 * The org's daily API allocation: a rolling 24-hour window over calls timed on the emulator's
 * clock, shared by every token of the org (Salesforce counts per org, not per app).
 */
export const DAY_MS = 24 * 60 * 60 * 1000;

export class ApiUsage {
  /** [time, calls] in time order; `head` skips entries that left the window. */
  private entries: Array<[number, number]> = [];
  private head = 0;
  private inWindow = 0;

  constructor(public max: number) {}

  private expire(now: number): void {
    while (this.head < this.entries.length && this.entries[this.head]![0] <= now - DAY_MS) {
      this.inWindow -= this.entries[this.head]![1];
      this.head++;
    }
    if (this.head > 4096 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }

  used(now: number): number {
    this.expire(now);
    return this.inWindow;
  }

  remaining(now: number): number {
    return Math.max(0, this.max - this.used(now));
  }

  /** Counts a call unless the allocation is used up; answers whether it was allowed. */
  take(now: number): boolean {
    if (this.used(now) >= this.max) return false;
    this.add(now, 1);
    return true;
  }

  add(now: number, calls: number): void {
    const last = this.entries[this.entries.length - 1];
    if (last && last[0] === now) last[1] += calls;
    else this.entries.push([now, calls]);
    this.inWindow += calls;
  }

  /** Control API: make the window hold exactly `used` calls, all made now. */
  setUsed(now: number, used: number): void {
    this.reset();
    if (used > 0) this.add(now, used);
  }

  /** When the oldest call in the window leaves it (what a paused sync waits for). */
  nextRelease(now: number): number | undefined {
    this.expire(now);
    const first = this.entries[this.head];
    return first ? first[0] + DAY_MS : undefined;
  }

  reset(): void {
    this.entries = [];
    this.head = 0;
    this.inWindow = 0;
  }
}
