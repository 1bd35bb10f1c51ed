// A sync worker in its own process, for the restart test: the test kills it with SIGKILL in
// the middle of a run, as a crash or an out-of-memory kill would. Usage:
//   node --import tsx test/account-sync/crash-worker.ts '<json config>'
import type { DatabaseTarget } from "../../src/config.ts";
import { openDatabase } from "../../src/db/database.ts";
import { SqlJobQueue } from "../../src/jobs/sql-queue.ts";
import { startBackground } from "../../src/sync/background.ts";
import { CrmConnections } from "../../src/connections/connections.ts";
import { connectorRegistry } from "../../src/connectors/registry.ts";

interface CrashWorkerConfig {
  target: DatabaseTarget;
  secretKey: string;
  hubspotBaseUrl: string;
}

const config = JSON.parse(process.argv[2] ?? "{}") as CrashWorkerConfig;
const { db, dialect } = openDatabase(config.target, { poolSize: 2 });
const hubspot = {
  baseUrl: config.hubspotBaseUrl,
  authorizeUrl: `${config.hubspotBaseUrl}/oauth/authorize`,
  clientId: undefined,
  clientSecret: undefined,
  budget: false as const,
  privateAppLimit: 100,
  retry: { baseDelayMs: 5, maxDelayMs: 20 },
};
const connections = new CrmConnections(db, config.secretKey, connectorRegistry({ hubspot }), "http://127.0.0.1:3000");
startBackground({ db, queue: new SqlJobQueue({ db, dialect }), connections, schedules: false, pollIntervalMs: 20 });
process.stdout.write("ready\n");
