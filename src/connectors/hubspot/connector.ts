// The HubSpot connector as the engine sees it: one Connector value (decision 0011).
import type { Connector } from "../../sync/connector.ts";
import { createHubSpotAccountSource } from "./account-source.ts";
import { authorizeUrl, budgetKey, callTaker, connectKey, exchange, keyKinds, oauthUnavailable, openHubSpot, revoke, type HubSpotSession, type HubSpotSettings } from "./auth.ts";
import { portalBudgets } from "./budget.ts";
import { createHubSpotCatalog } from "./catalog.ts";
import { createHubSpotContactSource } from "./contact-source.ts";
import { twoWayScopes } from "./oauth.ts";

/** HubSpot's object type ids in record URLs. */
const recordTypeIds = { company: "0-2", deal: "0-3", contact: "0-1" } as const;

export const hubspotConnector: Connector<HubSpotSettings, HubSpotSession> = {
  id: "hubspot",
  displayName: "HubSpot",
  capabilities: {
    accountSync: true,
    contactSync: { inbound: true, twoWay: true },
    contactSources: ["synced_companies", "list"],
    propertyHistory: true,
    merges: true,
    modifiedSince: true,
    webhooks: false,
  },
  auth: {
    methods: ["oauth", "token"],
    tokenKinds: keyKinds,
    connectWithToken: connectKey,
    oauth: {
      unavailable: oauthUnavailable,
      authorizeUrl,
      exchange,
      revoke,
    },
    twoWayScopes: twoWayScopes.filter((scope) => scope.endsWith(".write")),
  },
  contactModel: {
    defaultMapping: { firstName: "firstname", lastName: "lastname", email: "email", phone: "phone" },
    defaultLifecycleStages: ["customer", "subscriber"],
  },
  open: openHubSpot,
  catalog: (session) => createHubSpotCatalog(session.client),
  accountSource: (session) => createHubSpotAccountSource(session.client),
  contactSource: (session) => createHubSpotContactSource(session.client),
  writer: (session) => createHubSpotContactSource(session.client),
  takeCalls: (session) => callTaker(session.counter),
  budget: {
    release: (settings, grant) => {
      const key = budgetKey(grant);
      if (key !== null) (settings.budgets ?? portalBudgets).forget(key);
    },
  },
  recordUrl: (portalId, object, id) =>
    portalId === null ? null : `https://app.hubspot.com/contacts/${encodeURIComponent(portalId)}/record/${recordTypeIds[object]}/${encodeURIComponent(id)}`,
};
