import type { FastifyInstance } from "fastify";
import type { Counters } from "../counters.ts";
import type { FaultInjector, FaultKind, FaultRuleInput } from "../faults.ts";

/** The fault and counter routes every emulator's control API has, under its prefix. */
const FAULT_KINDS = new Set<FaultKind>(["status", "slow", "hang", "truncated", "malformed", "reset"]);

export function registerFaultAndCounterRoutes(app: FastifyInstance, prefix: string, parts: { faults: FaultInjector; counters: Counters }, invalid: (message: string) => Error): void {
  const { faults, counters } = parts;
  app.get(`${prefix}/faults`, async () => ({ faults: faults.list() }));
  app.post(`${prefix}/faults`, async (req, reply) => {
    const b = (req.body ?? {}) as Partial<FaultRuleInput>;
    if (!b.endpoint || !b.kind || !FAULT_KINDS.has(b.kind)) throw invalid(`endpoint and kind (${[...FAULT_KINDS].join(", ")}) are required`);
    const input: FaultRuleInput = { endpoint: b.endpoint, kind: b.kind };
    if (b.status !== undefined) input.status = Number(b.status);
    if (b.delayMs !== undefined) input.delayMs = Number(b.delayMs);
    if (b.count !== undefined) input.count = Number(b.count);
    if (b.probability !== undefined) input.probability = Number(b.probability);
    reply.code(201);
    return faults.add(input);
  });
  app.delete(`${prefix}/faults`, async () => {
    faults.clear();
    faults.releaseHung();
    return { ok: true };
  });
  app.delete(`${prefix}/faults/:id`, async (req) => ({ ok: faults.remove(Number((req.params as { id: string }).id)) }));

  app.get(`${prefix}/counters`, async () => counters.snapshot());
  const resetCounters = async () => {
    counters.reset();
    return { ok: true };
  };
  app.delete(`${prefix}/counters`, resetCounters);
  app.post(`${prefix}/counters/reset`, resetCounters);
}
