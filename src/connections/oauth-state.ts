// The OAuth `state` of a connect flow: random, stored hashed, single-use, 15 minutes, and bound
// to the browser session, workspace and provider that started it (decision 0011). A callback
// that comes back in another session (or none) cannot attach a CRM account to the workspace of
// the person who started the flow: a forged or stolen callback link is refused.
import type { Kysely } from "kysely";
import { AppError } from "../core/errors.ts";
import { generateToken, hashToken } from "../core/security.ts";
import { consumeOauthState, saveOauthState } from "../db/repositories/connections.ts";
import type { Database } from "../db/schema.ts";

export const oauthStateTtlMs = 15 * 60 * 1000;

export interface OAuthStart {
  provider: string;
  workspaceId: string;
  userId: string | null;
  /** The session cookie of the browser that starts the flow; undefined for an API token. */
  sessionToken: string | undefined;
  /** Where the flow signs in, when the provider has a choice; kept for the code exchange. */
  environment?: string | undefined;
}

export class OAuthStates {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number = Date.now,
  ) {}

  async issue(start: OAuthStart): Promise<string> {
    if (!start.sessionToken) {
      throw new AppError("oauth_session_mismatch", "Connecting through OAuth is done in the web app: the CRM sends the browser back to the session that started it, which an API token does not have.");
    }
    const state = generateToken("st_");
    await saveOauthState(this.db, {
      stateHash: hashToken(state),
      provider: start.provider,
      workspaceId: start.workspaceId,
      userId: start.userId,
      sessionHash: hashToken(start.sessionToken),
      expiresAt: new Date(this.now() + oauthStateTtlMs).toISOString(),
      environment: start.environment ?? null,
    });
    return state;
  }

  /** Takes the state once; refuses an unknown, used or expired state, another provider's, or one from another session. */
  async consume(provider: string, state: string, sessionToken: string | undefined): Promise<{ workspaceId: string; userId: string | null; environment: string | null }> {
    const pending = await consumeOauthState(this.db, hashToken(state));
    if (!pending || pending.provider !== provider || pending.expiresAt <= new Date(this.now()).toISOString()) {
      throw new AppError("oauth_state_invalid", "This authorisation link expired or was already used; start connecting again.");
    }
    if (!sessionToken || pending.sessionHash !== hashToken(sessionToken)) {
      throw new AppError("oauth_session_mismatch", "This authorisation came back to a different browser session than the one that started it; sign in and start connecting again from the same browser.");
    }
    return { workspaceId: pending.workspaceId, userId: pending.userId, environment: pending.environment };
  }
}
