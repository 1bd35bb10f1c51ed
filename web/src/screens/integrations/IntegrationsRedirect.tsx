import { Navigate } from "react-router";
import { useConnection } from "../../api/crm.ts";
import { LoadingBlock } from "../../components/Loading.tsx";
import { useWorkspaceCrm } from "../../crm/useWorkspaceCrm.ts";
import { paths } from "../../paths.ts";

/** /integrations opens the workspace's CRM: the connected one, else the last connected, else the default. */
export function IntegrationsRedirect() {
  const pending = useConnection().isPending;
  const crm = useWorkspaceCrm();
  if (pending) return <LoadingBlock />;
  return <Navigate to={paths.integration(crm.id)} replace />;
}
