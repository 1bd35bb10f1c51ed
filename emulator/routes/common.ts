import type { FastifyRequest } from "fastify";
import { OAUTH_APP_ID } from "../auth.ts";
import { validationError } from "../errors.ts";
import type { ChangeSource } from "../records.ts";
import { tokenOf } from "../server.ts";

/** Helpers shared by the CRM route files. */
export type Query = Record<string, unknown>;

export function query(req: FastifyRequest): Query {
  return (req.query ?? {}) as Query;
}

export function body<T>(req: FastifyRequest): T {
  const b = req.body;
  if (b === undefined || b === null || typeof b !== "object") throw validationError("Invalid input JSON: a JSON object body is required");
  return b as T;
}

export function intParam(raw: unknown, name: string, def: number, max?: number): number {
  if (raw === undefined || raw === "") return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw validationError(`Invalid value for ${name}: ${String(raw)}`);
  if (max !== undefined && n > max) throw validationError(`${name} must be at most ${max} (got ${n})`);
  return n;
}

export function boolParam(raw: unknown): boolean {
  return raw === true || raw === "true";
}

/** API writes are attributed to the calling app, as HubSpot's history shows them. */
export function apiSource(req: FastifyRequest): ChangeSource {
  const t = tokenOf(req);
  const sourceId = t.kind === "oauth" ? String(OAUTH_APP_ID) : t.kind === "service_key" ? "service-key:emulator" : "private-app:emulator";
  return { sourceType: "INTEGRATION", sourceId };
}

export function batchTimes(startedAt: number): { startedAt: string; completedAt: string } {
  return { startedAt: new Date(startedAt).toISOString(), completedAt: new Date().toISOString() };
}

export function requireInputs<T>(b: { inputs?: unknown }, max: number): T[] {
  if (!Array.isArray(b.inputs)) throw validationError("Invalid input JSON: inputs must be an array");
  if (b.inputs.length > max)
    throw validationError(`Too many inputs: a batch may contain at most ${max} inputs (got ${b.inputs.length}).`, {
      context: { maxInputs: [String(max)] },
    });
  return b.inputs as T[];
}
