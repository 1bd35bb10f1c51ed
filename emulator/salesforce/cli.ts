import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from "./auth.ts";
import { startSalesforceEmulator } from "./index.ts";
import { serveUntilSignal } from "../serve-until-signal.ts";

/** `crmsync emulator --crm salesforce`: start, print how to connect, run until SIGINT/SIGTERM. */
export interface SalesforceEmulatorCliOptions {
  port: number;
  seed: number;
  accounts: number;
  opportunities: number;
  contacts: number;
}

export async function runSalesforceEmulatorCli(opts: SalesforceEmulatorCliOptions): Promise<void> {
  const started = Date.now();
  const emu = await startSalesforceEmulator({ port: opts.port, seed: opts.seed, accounts: opts.accounts, opportunities: opts.opportunities, contacts: opts.contacts });
  const counts = emu.store.stats();
  const lines = [
    `Salesforce emulator listening on ${emu.url} (ready in ${Date.now() - started} ms)`,
    `  data:              seed ${opts.seed}: ${counts.Account} accounts, ${counts.Opportunity} opportunities, ${counts.Contact} contacts`,
    `  org id:            ${emu.store.orgId}`,
    `  login host:        ${emu.url} (production and sandbox)`,
    `  consumer key:      ${DEFAULT_CLIENT_ID}`,
    `  consumer secret:   ${DEFAULT_CLIENT_SECRET}`,
    `  authorize URL:     ${emu.url}/services/oauth2/authorize?response_type=code&client_id=${DEFAULT_CLIENT_ID}&redirect_uri=<your callback>`,
    `  daily API limit:   ${emu.store.usage.max}`,
    `  control API:       ${emu.url}/_emulator/info (see docs/emulator.md)`,
  ];
  await serveUntilSignal(lines, emu, "Salesforce");
}
