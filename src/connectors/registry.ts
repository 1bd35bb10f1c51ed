// The one list of CRM connectors. Adding a CRM adds a line here (and its settings in
// src/config.ts); the engine only ever sees the ProviderRegistry built from it.
import { bindConnector, providerRegistry, type ProviderRegistry } from "../sync/connector.ts";
import type { HubSpotSettings } from "./hubspot/auth.ts";
import { hubspotConnector } from "./hubspot/connector.ts";

/** Each connector's deployment settings, by provider id. */
export interface ConnectorSettings {
  hubspot: HubSpotSettings;
}

export function connectorRegistry(settings: ConnectorSettings): ProviderRegistry {
  return providerRegistry([bindConnector(hubspotConnector, settings.hubspot)]);
}
