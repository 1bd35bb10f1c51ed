// A workspace's HubSpot client seen as the engine's ContactSource, with the calls it spent.
import { createHubSpotContactSource } from "../../connectors/hubspot/contact-source.ts";
import { callTaker, type HubSpotConnections } from "../hubspot-connection.ts";
import type { ContactSession } from "./jobs.ts";

export async function contactSession(hubspot: HubSpotConnections, workspaceId: string): Promise<ContactSession | null> {
  const opened = await hubspot.open(workspaceId);
  if (!opened) return null;
  return { source: createHubSpotContactSource(opened.client), takeCalls: callTaker(opened.counter) };
}
