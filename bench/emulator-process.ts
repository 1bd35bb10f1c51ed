// The emulator in its own process: the benchmark measures crmsync's memory, not the emulator's
// (which holds the whole generated portal), and on two cores the two sides run side by side.
// Started by bench/lib/emulator-handle.ts with fork(); answers requests over the IPC channel.
import { performance } from "node:perf_hooks";
import { startEmulator, PRIVATE_APP_TOKEN } from "../emulator/index.ts";
import { catalog, contactList, mutate, mutateContacts, setRateLimits } from "./lib/emulator-ops.ts";
import type { EmulatorRequest, EmulatorResponse } from "./lib/emulator-protocol.ts";

const config = JSON.parse(process.argv[2] ?? "{}") as { seed: number; companies: number; deals: number; contacts: number };

function send(message: EmulatorResponse): void {
  process.send?.(message);
}

const started = performance.now();
const emu = await startEmulator({ port: 0, seed: config.seed, companies: config.companies, deals: config.deals, contacts: config.contacts, rateLimits: false });
const startMs = performance.now() - started;

process.on("message", (raw) => {
  const request = raw as EmulatorRequest;
  const reply = (result: unknown): void => send({ id: request.id, ok: true, result });
  try {
    switch (request.op) {
      case "catalog":
        return reply(catalog(emu.store));
      case "counters":
        return reply(emu.store.counters.snapshot());
      case "resetCounters":
        emu.store.counters.reset();
        return reply(null);
      case "mutate":
        return reply(mutate(emu.store, request.share));
      case "contactList":
        return reply(contactList(emu.store));
      case "mutateContacts":
        return reply(mutateContacts(emu.store, request.share, request.offset));
      case "rateLimits":
        return reply(setRateLimits(emu.store, request.enabled));
      case "memory":
        return reply({ rssBytes: process.memoryUsage().rss, maxRssBytes: process.resourceUsage().maxRSS * 1024 });
      case "close":
        void emu.close().then(() => {
          reply(null);
          process.disconnect();
        });
        return;
    }
  } catch (error) {
    send({ id: request.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});

send({ id: 0, ok: true, result: { url: emu.url, token: PRIVATE_APP_TOKEN, startMs, stats: emu.store.stats() } });
