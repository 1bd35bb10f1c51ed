import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { FaultInjector, FaultRule } from "./faults.ts";

/**
 * Applies a picked fault rule at an emulator's edge, the same way for every emulated CRM: a
 * status fault is answered by the CRM's own `sendStatus`, `slow` delays, `hang` and `reset`
 * drop the connection, and `truncated`/`malformed` spoil the answer in an onSend hook.
 */
const spoiled = new WeakMap<FastifyRequest, FaultRule>();

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Answers the reply when the fault ends the request; undefined when the route should run. */
export async function applyEdgeFault(
  faults: FaultInjector,
  fault: FaultRule,
  req: FastifyRequest,
  reply: FastifyReply,
  sendStatus: (reply: FastifyReply, status: number) => FastifyReply,
): Promise<FastifyReply | undefined> {
  switch (fault.kind) {
    case "status":
      return sendStatus(reply, fault.status ?? 500);
    case "slow":
      await sleep(fault.delayMs ?? 2000);
      return undefined;
    case "hang":
      await faults.hang();
      reply.hijack();
      req.raw.socket.destroy();
      return reply;
    case "reset":
      reply.hijack();
      req.raw.socket.destroy();
      return reply;
    default:
      spoiled.set(req, fault);
      return undefined;
  }
}

/** The onSend hook that cuts (`truncated`) or replaces (`malformed`, with `malformedBody`) the answer. */
export function addSpoilHook(app: FastifyInstance, malformedBody: string): void {
  app.addHook("onSend", async (req, reply, payload) => {
    const fault = spoiled.get(req);
    if (!fault) return payload;
    if (fault.kind === "malformed") {
      reply.code(200).type("application/json; charset=utf-8");
      return malformedBody;
    }
    const text = typeof payload === "string" ? payload : Buffer.isBuffer(payload) ? payload.toString("utf8") : "";
    return text.slice(0, Math.max(1, Math.floor(text.length / 2)));
  });
}
