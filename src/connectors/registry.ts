// The one list of CRM connectors. Adding a CRM adds a line here (and its settings in
// src/config.ts); the engine only ever sees the ProviderRegistry built from it.
import { bindConnector, providerRegistry, type ProviderRegistry } from "../sync/connector.ts";
import type { HubSpotSettings } from "./hubspot/auth.ts";
import { hubspotConnector } from "./hubspot/connector.ts";
import type { SalesforceSettings } from "./salesforce/auth.ts";
import { salesforceConnector } from "./salesforce/connector.ts";

/** Each connector's deployment settings, by provider id. */
export interface ConnectorSettings {
  hubspot: HubSpotSettings;
  /** Absent: Salesforce is not offered (tests and tools that only speak HubSpot). */
  salesforce?: SalesforceSettings | undefined;
}

export function connectorRegistry(settings: ConnectorSettings): ProviderRegistry {
  // HubSpot first: it stays the default CRM where one is picked without asking.
  return providerRegistry([
    bindConnector(hubspotConnector, settings.hubspot),
    ...(settings.salesforce ? [bindConnector(salesforceConnector, settings.salesforce)] : []),
  ]);
}
