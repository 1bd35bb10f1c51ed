// The org's rolling 24-hour API allocation as Salesforce reports it: the `Sforce-Limit-Info`
// header on every REST answer ("api-usage=18/15000", possibly beside other entries such as
// "per-app-api-usage=17/250(appName=sample)") and `DailyApiRequests` of GET /limits.

export interface ApiUsage {
  /** Calls made in the last 24 hours, org-wide. */
  used: number;
  /** The org's allocation for 24 hours. */
  max: number;
}

/** The org-wide `api-usage` entry of the header; null when absent or unreadable. */
export function parseLimitInfo(header: string | null): ApiUsage | null {
  if (header === null) return null;
  for (const entry of header.split(",")) {
    const match = /^\s*api-usage\s*=\s*(\d+)\s*\/\s*(\d+)\s*$/i.exec(entry);
    if (match) {
      const used = Number(match[1]);
      const max = Number(match[2]);
      if (Number.isSafeInteger(used) && Number.isSafeInteger(max) && max > 0) return { used, max };
    }
  }
  return null;
}

/** Usage from a GET /limits body (`DailyApiRequests: {Max, Remaining}`); null when it lacks it. */
export function usageFromLimits(body: unknown): ApiUsage | null {
  if (typeof body !== "object" || body === null) return null;
  const daily = (body as Record<string, unknown>)["DailyApiRequests"];
  if (typeof daily !== "object" || daily === null) return null;
  const { Max: max, Remaining: remaining } = daily as Record<string, unknown>;
  if (typeof max !== "number" || typeof remaining !== "number" || max <= 0) return null;
  return { used: Math.max(0, max - remaining), max };
}
