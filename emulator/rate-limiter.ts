import type { RateLimitPolicy } from "./errors.ts";
import type { PrivateAppTier, TokenKind } from "./auth.ts";

/**
 * HubSpot's limits: a rolling 10-second window per app (per token here), a per-portal
 * search limit of 5 a second counted apart, and a daily budget for private apps.
 */
export const TIER_LIMITS: Record<PrivateAppTier, { tenSecond: number; daily: number }> = {
  starter: { tenSecond: 100, daily: 250_000 },
  professional: { tenSecond: 190, daily: 625_000 },
  enterprise: { tenSecond: 190, daily: 1_000_000 },
};

export interface RateLimitConfig {
  enabled: boolean;
  oauthTenSecondMax: number;
  privateAppTier: PrivateAppTier;
  /** Overrides of the tier's numbers. */
  privateTenSecondMax?: number;
  privateDailyMax?: number;
  searchPerSecond: number;
  windowMs: number;
}

export function defaultRateLimitConfig(): RateLimitConfig {
  return { enabled: true, oauthTenSecondMax: 110, privateAppTier: "starter", searchPerSecond: 5, windowMs: 10_000 };
}

/** Timestamps of accepted requests in a window; amortised O(1) per request. */
class Window {
  private readonly times: number[] = [];
  private head = 0;

  count(now: number, windowMs: number): number {
    const cutoff = now - windowMs;
    while (this.head < this.times.length && this.times[this.head]! <= cutoff) this.head++;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times.splice(0, this.head);
      this.head = 0;
    }
    return this.times.length - this.head;
  }

  add(now: number): void {
    this.times.push(now);
  }

  /** Accepted requests in the last `ms` (without pruning: the 10-second count still needs them). */
  recent(now: number, ms: number): number {
    let n = 0;
    for (let i = this.times.length - 1; i >= this.head && this.times[i]! > now - ms; i--) n++;
    return n;
  }
}

export type RateDecision = { ok: true; headers: Record<string, string> } | { ok: false; policy: RateLimitPolicy; headers: Record<string, string> };

export class RateLimiter {
  config: RateLimitConfig;
  private readonly windows = new Map<string, Window>();
  private readonly search = new Map<number, Window>();
  private dailyDay = "";
  private dailyUsed = 0;

  constructor(config: RateLimitConfig) {
    this.config = config;
  }

  resetWindows(): void {
    this.windows.clear();
    this.search.clear();
    this.dailyUsed = 0;
  }

  /** The portal's private-app calls today and the day's limit (for the API-usage endpoint). */
  dailyUsage(now: number): { used: number; limit: number; resetsAt: number } {
    const day = new Date(now).toISOString().slice(0, 10);
    const used = day === this.dailyDay ? this.dailyUsed : 0;
    const t = TIER_LIMITS[this.config.privateAppTier];
    return { used, limit: this.config.privateDailyMax ?? t.daily, resetsAt: Date.parse(`${day}T00:00:00.000Z`) + 86_400_000 };
  }

  private limits(kind: TokenKind, tier: PrivateAppTier | undefined): { tenSecond: number; daily: number | undefined } {
    if (kind === "oauth") return { tenSecond: this.config.oauthTenSecondMax, daily: undefined };
    const t = TIER_LIMITS[tier ?? this.config.privateAppTier];
    return { tenSecond: this.config.privateTenSecondMax ?? t.tenSecond, daily: this.config.privateDailyMax ?? t.daily };
  }

  /**
   * Counts one request. Search requests are limited per portal per second and carry no
   * rate-limit headers at all (as HubSpot's search answers); both kinds use the private-app
   * daily budget. Other answers carry the ten-second headers, HubSpot's (deprecated but still
   * sent) `-Secondly` pair (a tenth of the ten-second limit), and for private apps and service
   * keys the daily pair; OAuth answers have no daily headers.
   */
  check(tokenKey: string, kind: TokenKind, tier: PrivateAppTier | undefined, portalId: number, isSearch: boolean, now: number): RateDecision {
    if (!this.config.enabled) return { ok: true, headers: {} };
    const { tenSecond, daily } = this.limits(kind, tier);
    const day = new Date(now).toISOString().slice(0, 10);
    if (day !== this.dailyDay) {
      this.dailyDay = day;
      this.dailyUsed = 0;
    }
    const dailyLeft = daily === undefined || this.dailyUsed < daily;
    if (isSearch) {
      if (!dailyLeft) return { ok: false, policy: "DAILY", headers: {} };
      const w = windowOf(this.search, portalId);
      if (w.count(now, 1000) >= this.config.searchPerSecond) return { ok: false, policy: "SECONDLY", headers: {} };
      w.add(now);
      if (daily !== undefined) this.dailyUsed++;
      return { ok: true, headers: {} };
    }
    const headers: Record<string, string> = {};
    if (daily !== undefined) headers["x-hubspot-ratelimit-daily"] = String(daily);
    if (!dailyLeft) {
      headers["x-hubspot-ratelimit-daily-remaining"] = "0";
      return { ok: false, policy: "DAILY", headers };
    }
    const w = windowOf(this.windows, tokenKey);
    const used = w.count(now, this.config.windowMs);
    headers["x-hubspot-ratelimit-interval-milliseconds"] = String(this.config.windowMs);
    headers["x-hubspot-ratelimit-max"] = String(tenSecond);
    if (used >= tenSecond) {
      headers["x-hubspot-ratelimit-remaining"] = "0";
      if (daily !== undefined) headers["x-hubspot-ratelimit-daily-remaining"] = String(daily - this.dailyUsed);
      return { ok: false, policy: "TEN_SECONDLY_ROLLING", headers };
    }
    w.add(now);
    headers["x-hubspot-ratelimit-remaining"] = String(tenSecond - used - 1);
    const secondly = Math.ceil(tenSecond / 10);
    headers["x-hubspot-ratelimit-secondly"] = String(secondly);
    headers["x-hubspot-ratelimit-secondly-remaining"] = String(Math.max(0, secondly - w.recent(now, 1000)));
    if (daily !== undefined) {
      this.dailyUsed++;
      headers["x-hubspot-ratelimit-daily-remaining"] = String(daily - this.dailyUsed);
    }
    return { ok: true, headers };
  }
}

function windowOf<K>(windows: Map<K, Window>, key: K): Window {
  let w = windows.get(key);
  if (!w) {
    w = new Window();
    windows.set(key, w);
  }
  return w;
}
