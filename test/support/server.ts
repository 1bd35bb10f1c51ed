// The test app listening on a real port (127.0.0.1, port 0), for clients that cannot use
// inject(): a browser, the HubSpot emulator's redirects. The web UI is built first if needed.
import type { AddressInfo } from "node:net";
import type { Dialect } from "../../src/db/database.ts";
import { ensureWebBuild } from "../../web/scripts/build.ts";
import { startTestApp, type TestApp, type TestAppOptions } from "./app.ts";

export interface TestServer extends TestApp {
  /** http://127.0.0.1:<port>, no trailing slash. */
  url: string;
}

export async function startTestServer(dialect: Dialect = "sqlite", options: TestAppOptions = {}): Promise<TestServer> {
  await ensureWebBuild({ quiet: true });
  const t = await startTestApp(dialect, options);
  try {
    await t.app.listen({ host: "127.0.0.1", port: 0 });
  } catch (error) {
    await t.close();
    throw error;
  }
  const { port } = t.app.server.address() as AddressInfo;
  return Object.assign(t, { url: `http://127.0.0.1:${port}` });
}
