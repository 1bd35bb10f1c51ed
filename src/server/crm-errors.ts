// Routes that call the CRM run their work through withCrm: connector failures become API errors
// (mapped in error-mapping.ts) and a revoked grant also disconnects the workspace.
import { ConnectorError } from "../core/errors.ts";
import { appErrorForConnector } from "./error-mapping.ts";
import type { CrmProvider } from "../sync/connector.ts";
import type { AppContext } from "./context.ts";

/** Runs a request's CRM work, turning connector failures into API errors (and a revoked grant into a disconnect). */
export async function withCrm<T>(ctx: AppContext, workspaceId: string, provider: CrmProvider, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof ConnectorError)) throw error;
    if (error.code === "auth_revoked") await ctx.crm.markRevoked(workspaceId, provider.id, error.message);
    throw appErrorForConnector(error, provider);
  }
}
