// The workspace's CRM as every screen needs it: its id, its name, its connection and its words.
import { defaultCrm, useConnection } from "../api/crm.ts";
import type { CrmConnection } from "../api/types.ts";
import { crmWording, type CrmWording } from "./wording.ts";

export interface WorkspaceCrm {
  id: string;
  /** The name people know the CRM by (HubSpot); the default CRM's until the server answered. */
  displayName: string;
  /** undefined while loading; null when this server has no CRM routes. */
  connection: CrmConnection | null | undefined;
  connected: boolean;
  wording: CrmWording;
}

export function useWorkspaceCrm(): WorkspaceCrm {
  const connection = useConnection().data;
  const id = connection?.provider ?? defaultCrm.id;
  return { id, displayName: connection?.displayName ?? defaultCrm.displayName, connection, connected: connection?.status === "connected", wording: crmWording(id) };
}
