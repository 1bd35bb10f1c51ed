// A run's share of the org's rolling 24-hour API allocation (decision 0044). Salesforce has no
// short window, only the daily pool every integration of the org draws from, so crmsync keeps
// two bounds: one opened connection (a run, or one request of the web app) spends at most
// `share` of what remained when it started, and no call may take the org past `ceiling` of its
// allocation. Usage is read from /limits at the first call and from Sforce-Limit-Info after
// every answer. When a bound is reached the call is not made: the run pauses and resumes later.

import type { ApiUsage } from "./limit-info.ts";

export interface BudgetOptions {
  /** Share of what remains at the start that one opened connection may spend (0–1). */
  share: number;
  /** Share of the org's allocation crmsync never pushes usage past (0–1). */
  ceiling: number;
}

export const defaultBudget: BudgetOptions = { share: 0.25, ceiling: 0.8 };

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;
/** How long a run waits after spending its share: other runs and integrations get their turn. */
export const sharePauseMs = hourMs;
const minPauseMs = 15 * 60_000;

/** Calls a run may make from `start`: its share of what remains, within the ceiling. */
export function runAllowance(start: ApiUsage, options: BudgetOptions): number {
  const remaining = Math.max(0, start.max - start.used);
  const headroom = Math.max(0, Math.floor(start.max * options.ceiling) - start.used);
  return Math.min(Math.floor(remaining * options.share), headroom);
}

/**
 * When usage will have fallen to `target` of the allocation. Salesforce's window rolls over
 * 24 hours and says nothing of when past calls were made, so the calls are taken as spread
 * evenly over the last day: usage then falls by `used` per 24 h, and reaching `target` of the
 * allocation takes (used − target·max)/used of a day. At least 15 minutes, at most a day.
 */
export function recoveryMs(usage: ApiUsage, target: number): number {
  if (usage.used <= 0) return minPauseMs;
  const excess = usage.used - Math.floor(usage.max * target);
  const ms = Math.ceil((Math.max(0, excess) / usage.used) * dayMs);
  return Math.min(dayMs, Math.max(minPauseMs, ms));
}

export type BudgetStop = { limit: "share" | "ceiling"; retryAfterMs: number; message: string };

/** One opened connection's spending: asks before each call, learns from each answer. */
export class RunBudget {
  private start: ApiUsage | null = null;
  private latest: ApiUsage | null = null;
  private spent = 0;

  constructor(private readonly options: BudgetOptions) {}

  get started(): boolean {
    return this.start !== null;
  }

  /** Usage Salesforce reported; the first one is the start, whose remainder the share is taken of. */
  begin(usage: ApiUsage): void {
    this.start ??= usage;
    this.observe(usage);
  }

  /** Usage Salesforce reported with an answer. */
  observe(usage: ApiUsage): void {
    this.latest = usage;
  }

  /** Null when one more call is allowed (and counts it); else why not and how long to wait. */
  admit(): BudgetStop | null {
    const start = this.start;
    const latest = this.latest ?? start;
    if (start === null || latest === null) {
      this.spent++;
      return null;
    }
    const ceilingCalls = Math.floor(latest.max * this.options.ceiling);
    if (latest.used + 1 > ceilingCalls) {
      return {
        limit: "ceiling",
        retryAfterMs: recoveryMs(latest, this.options.ceiling * 0.9),
        message: `Salesforce API usage is at ${latest.used} of the org's ${latest.max} calls in 24 hours; crmsync stops at ${Math.round(this.options.ceiling * 100)}%.`,
      };
    }
    if (this.spent >= runAllowance(start, this.options)) {
      return {
        limit: "share",
        retryAfterMs: sharePauseMs,
        message: `This run used its share of Salesforce's daily API allocation (${this.spent} calls, ${Math.round(this.options.share * 100)}% of what remained).`,
      };
    }
    this.spent++;
    return null;
  }

  stats(): { spent: number; start: ApiUsage | null; latest: ApiUsage | null } {
    return { spent: this.spent, start: this.start, latest: this.latest };
  }
}
