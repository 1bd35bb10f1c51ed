import { OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, PORTAL_ID, PRIVATE_APP_TOKEN } from "./auth.ts";
import { startEmulator } from "./index.ts";
import { serveUntilSignal } from "./serve-until-signal.ts";

/** `crmsync emulator`: start, print how to connect, run until SIGINT/SIGTERM. */
export interface EmulatorCliOptions {
  port: number;
  seed: number;
  companies: number;
  deals: number;
  contacts: number;
  rateLimits: boolean;
}

export async function runEmulatorCli(opts: EmulatorCliOptions): Promise<void> {
  const started = Date.now();
  const emu = await startEmulator({
    port: opts.port,
    seed: opts.seed,
    companies: opts.companies,
    deals: opts.deals,
    contacts: opts.contacts,
    rateLimits: opts.rateLimits,
  });
  const counts = emu.store.stats();
  const lines = [
    `HubSpot emulator listening on ${emu.url} (ready in ${Date.now() - started} ms)`,
    `  data:              seed ${opts.seed}: ${counts.companies} companies, ${counts.deals} deals, ${counts.contacts} contacts, ${counts.lists} lists`,
    `  portal id:         ${PORTAL_ID}`,
    `  private-app token: ${PRIVATE_APP_TOKEN}`,
    `  OAuth client id:   ${OAUTH_CLIENT_ID}`,
    `  OAuth secret:      ${OAUTH_CLIENT_SECRET}`,
    `  authorize URL:     ${emu.url}/oauth/authorize?client_id=${OAUTH_CLIENT_ID}&redirect_uri=<your callback>&scope=oauth`,
    `  rate limits:       ${opts.rateLimits ? "on" : "off"}`,
    `  control API:       ${emu.url}/_emulator/info (see docs/emulator.md)`,
  ];
  await serveUntilSignal(lines, emu, "HubSpot");
}
