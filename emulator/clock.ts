/**
 * One source of time for the whole emulator, so tests can move time forward
 * (token expiry, rate-limit windows, search delay) without sleeping.
 */
export class Clock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  reset(): void {
    this.offsetMs = 0;
  }
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
