// What a set of calls costs in time at HubSpot's real limits: the floor a portal imposes no
// matter how fast crmsync and HubSpot answer. Search has its own limit, counted apart from the
// ten-second window (hubspot-api.md), so the two lanes run side by side and the slower sets it.
import { planSlots, usableLimit } from "../../src/connectors/hubspot/budget.ts";

/**
 * crmsync's production settings (HUBSPOT_PRIVATE_APP_LIMIT and HUBSPOT_RESERVED_SHARE's defaults
 * in src/config.ts): a service key's or private app's limit, and the share left to the portal's
 * other integrations.
 */
export const productionBudget = { privateAppLimit: 100, reservedShare: 0.1 } as const;

/** PortalBudget's timing margins (marginMs, searchMarginMs); the reserve is production's. */
const budgetReservedShare = productionBudget.reservedShare;
const budgetMarginMs = { standard: 250, search: 100 } as const;

export const hubspotLimits = {
  /** Public OAuth app, per installing portal. */
  perWindow: 110,
  windowSeconds: 10,
  searchPerSecond: 5,
} as const;

export function isSearch(endpoint: string): boolean {
  return endpoint.endsWith(".search");
}

export interface CallSplit {
  total: number;
  standard: number;
  search: number;
}

export function splitCalls(endpoints: Readonly<Record<string, number>>): CallSplit {
  let standard = 0;
  let search = 0;
  for (const [endpoint, n] of Object.entries(endpoints)) {
    if (isSearch(endpoint)) search += n;
    else standard += n;
  }
  return { total: standard + search, standard, search };
}

export interface TimeAtLimits {
  standardSeconds: number;
  searchSeconds: number;
  /** The larger of the two lanes: the floor at HubSpot's full limits. */
  seconds: number;
  /**
   * The same calls at crmsync's own budget, which leaves 10% of each limit to the portal's
   * other integrations and keeps a timing margin (connectors/hubspot/budget.ts).
   */
  budgetSeconds: number;
}

/**
 * Calls over the sustained rate. The first window's burst is not credited: it is worth one
 * window at most, and leaving it out keeps the figure proportional to the calls, so ratios of
 * time equal ratios of calls within a lane.
 */
export function timeAtLimits(endpoints: Readonly<Record<string, number>>): TimeAtLimits {
  const calls = splitCalls(endpoints);
  const standardSeconds = (calls.standard * hubspotLimits.windowSeconds) / hubspotLimits.perWindow;
  const searchSeconds = calls.search / hubspotLimits.searchPerSecond;
  const standardPlan = planSlots(usableLimit(hubspotLimits.perWindow, budgetReservedShare), hubspotLimits.windowSeconds * 1000, budgetMarginMs.standard);
  const searchPlan = planSlots(usableLimit(hubspotLimits.searchPerSecond, budgetReservedShare), 1000, budgetMarginMs.search);
  const budgetSeconds = Math.max(
    (calls.standard / standardPlan.points) * (standardPlan.durationMs / 1000),
    (calls.search / searchPlan.points) * (searchPlan.durationMs / 1000),
  );
  return { standardSeconds, searchSeconds, seconds: Math.max(standardSeconds, searchSeconds), budgetSeconds };
}

/**
 * The floor of the share crmsync may use with a private app's limit (or a service key's): the
 * calls at `limit × (1 − reservedShare)` per 10 s, search at 5 per s less the same share, the
 * two lanes side by side. What a run measured at the limits is held to (issue 16: ≤ 1.05 ×).
 */
export function shareFloorSeconds(endpoints: Readonly<Record<string, number>>, budget: { privateAppLimit: number; reservedShare: number }): number {
  const calls = splitCalls(endpoints);
  const standard = (calls.standard * hubspotLimits.windowSeconds) / usableLimit(budget.privateAppLimit, budget.reservedShare);
  const search = calls.search / usableLimit(hubspotLimits.searchPerSecond, budget.reservedShare);
  return Math.max(standard, search);
}
