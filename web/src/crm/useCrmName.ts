import { useCrmProviders } from "../api/crm.ts";
import { useWorkspaceCrm } from "./useWorkspaceCrm.ts";

/**
 * A CRM's name by its id (a synced field's mapping names the CRM it came from, which can be an
 * earlier CRM of the workspace); the workspace's CRM when left out.
 */
export function useCrmNames(): (provider?: string) => string {
  const crm = useWorkspaceCrm();
  const providers = useCrmProviders().data;
  return (provider) => (provider === undefined || provider === crm.id ? crm.displayName : (providers?.find((p) => p.id === provider)?.displayName ?? provider));
}
