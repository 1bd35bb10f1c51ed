import { useWorkspaceCrm } from "./useWorkspaceCrm.ts";

/** The workspace CRM's name as text, for places that are not components of their own (the nav). */
export function WorkspaceCrmName() {
  return <>{useWorkspaceCrm().displayName}</>;
}
