import type { FastifyInstance } from "fastify";
import { API_VERSIONS, accountInfoBase, endpointKey } from "../api-versions.ts";
import { route } from "../server.ts";
import type { EmulatorStore } from "../store.ts";

/**
 * Account information (2026-09 and legacy v3): the token's portal details, and the private
 * apps' daily API usage. The emulated portal runs on UTC (its daily limit resets at UTC
 * midnight), is a standard account hosted in na1, and keeps its books in USD.
 */
export function registerAccountInfoRoutes(app: FastifyInstance, store: EmulatorStore): void {
  for (const version of API_VERSIONS) {
    const base = accountInfoBase(version);
    app.get(`${base}/details`, route({ endpoint: endpointKey(version, "accountInfo.details") }), async () => ({
      portalId: store.portalId,
      accountType: "STANDARD",
      timeZone: "Etc/UTC",
      companyCurrency: "USD",
      additionalCurrencies: [],
      utcOffset: "+00:00",
      utcOffsetMilliseconds: 0,
      uiDomain: "app.hubspot.com",
      dataHostingLocation: "na1",
    }));

    app.get(`${base}/api-usage/daily/private-apps`, route({ endpoint: endpointKey(version, "accountInfo.usage.privateApps") }), async () => {
      const now = store.now();
      const usage = store.rateLimiter.dailyUsage(now);
      return {
        results: [
          {
            name: "private-apps-api-calls-daily",
            usageLimit: usage.limit,
            currentUsage: usage.used,
            collectedAt: new Date(now).toISOString(),
            fetchStatus: "SUCCESS",
            resetsAt: new Date(usage.resetsAt).toISOString(),
          },
        ],
      };
    });
  }
}
