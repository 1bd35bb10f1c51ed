// A sync worker in its own process, for the restart test: the test kills it with SIGKILL in
// the middle of a run, as a crash or an out-of-memory kill would. Usage:
//   node --import tsx test/account-sync/crash-worker.ts '<json config>'
import type { DatabaseTarget } from "../../src/config.ts";
import { openDatabase } from "../../src/db/database.ts";
import { SqlJobQueue } from "../../src/jobs/sql-queue.ts";
import { startBackground } from "../../src/sync/background.ts";
import { HubSpotConnections } from "../../src/sync/hubspot-connection.ts";

interface CrashWorkerConfig {
  target: DatabaseTarget;
  secretKey: string;
  hubspotBaseUrl: string;
}

const config = JSON.parse(process.argv[2] ?? "{}") as CrashWorkerConfig;
const { db, dialect } = openDatabase(config.target, { poolSize: 2 });
const hubspot = new HubSpotConnections(db, config.secretKey, {
  baseUrl: config.hubspotBaseUrl,
  authorizeUrl: `${config.hubspotBaseUrl}/oauth/authorize`,
  clientId: undefined,
  clientSecret: undefined,
  redirectUri: "http://127.0.0.1:3000/api/v1/crm/hubspot/oauth/callback",
  budget: false,
  privateAppLimit: 100,
  retry: { baseDelayMs: 5, maxDelayMs: 20 },
});
startBackground({ db, queue: new SqlJobQueue({ db, dialect }), hubspot, schedules: false, pollIntervalMs: 20 });
process.stdout.write("ready\n");
