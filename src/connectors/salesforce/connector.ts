// The Salesforce connector as the engine sees it: one Connector value (decision 0011).
import type { Connector } from "../../sync/connector.ts";
import { callTaker } from "../hubspot/auth.ts";
import { authorizeUrl, exchange, oauthUnavailable, openSalesforce, revoke, salesforceEnvironments, type SalesforceSession, type SalesforceSettings } from "./auth.ts";
import { createSalesforceAccountSource } from "./account-source.ts";
import { createSalesforceCatalog } from "./catalog.ts";
import { createSalesforceContactSource } from "./contact-source.ts";
import { createSalesforceContactWriter } from "./contact-writer.ts";
import { ConnectorError } from "../../core/errors.ts";
import { recordUrl } from "./record-url.ts";

export const salesforceConnector: Connector<SalesforceSettings, SalesforceSession> = {
  id: "salesforce",
  displayName: "Salesforce",
  capabilities: {
    accountSync: true,
    contactSync: { inbound: true, twoWay: true },
    contactSources: ["synced_companies", "list"],
    // Field history (ContactHistory) is not read: conflicts fall back to SystemModstamp.
    propertyHistory: false,
    // A merge deletes the losing contacts; no survivor names them.
    merges: false,
    modifiedSince: true,
    webhooks: false,
  },
  auth: {
    methods: ["oauth"],
    tokenKinds: [],
    connectWithToken: () => Promise.reject(new ConnectorError("credentials_refused", "Salesforce connects through OAuth only.")),
    oauth: { environments: salesforceEnvironments, unavailable: oauthUnavailable, authorizeUrl, exchange, revoke },
    // `api` covers reads and writes alike: Salesforce has no narrower scope.
    twoWayScopes: ["api"],
  },
  contactModel: {
    defaultMapping: { firstName: "FirstName", lastName: "LastName", email: "Email", phone: "Phone" },
    // Salesforce Contacts carry no lifecycle stage: filtering on one would import nobody.
    defaultLifecycleStages: [],
  },
  open: openSalesforce,
  catalog: (session) => createSalesforceCatalog(session.client),
  accountSource: (session) => createSalesforceAccountSource(session.client),
  contactSource: (session) => createSalesforceContactSource(session.client),
  writer: (session) => createSalesforceContactWriter(session.client),
  takeCalls: (session) => callTaker(session.counter),
  budget: {
    // Each opened connection keeps its own share; nothing is held per org between them.
    release: () => undefined,
  },
  recordUrl,
};
