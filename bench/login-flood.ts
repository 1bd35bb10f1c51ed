// Sign-in time during a flood of wrong sign-ins (product spec §11, docs/decisions/0015): the
// real app on a fresh SQLite database, sign-ins with the right password one after another,
// first alone, then while N attackers keep sending wrong passwords from one address, then
// from N addresses. Prints p50/p95 of the sign-ins and what the flood got back, and exits.
//
//   npm run bench:login [-- --signins 12] [--attackers 30] [--json]
//
// Requests go through Fastify's inject with a client address each (the throttle counts per
// address, and one process cannot open connections from many addresses); everything after the
// socket (routing, validation, the throttle, scrypt, SQLite) is the app's own. Timings depend
// on the machine and what else runs on it: note `uptime`'s load average beside the figures.
import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import type { LightMyRequestResponse } from "fastify";
import { startTestApp, type TestApp } from "../test/support/app.ts";
import { percentile } from "./lib/stats.ts";

const { values: args } = parseArgs({
  options: {
    signins: { type: "string", default: "12" },
    attackers: { type: "string", default: "30" },
    json: { type: "boolean", default: false },
  },
});
const signIns = Number(args.signins);
const attackers = Number(args.attackers);
if (!Number.isInteger(signIns) || signIns < 1 || !Number.isInteger(attackers) || attackers < 1) {
  console.error("usage: npm run bench:login -- [--signins N] [--attackers N] [--json]");
  process.exit(2);
}

interface Phase {
  name: string;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** The flood's answers by status: 401 = a password was checked, 429 = refused without one. */
  floodAnswers: Record<string, number>;
}

function login(t: TestApp, email: string, password: string, address: string): Promise<LightMyRequestResponse> {
  return t.app.inject({ method: "POST", url: "/api/v1/session", remoteAddress: address, headers: { "content-type": "application/json" }, payload: JSON.stringify({ email, password }) });
}

/** Right-password sign-ins one after another, each from its own address, in ms. */
async function timeSignIns(t: TestApp): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < signIns; i++) {
    const started = performance.now();
    const res = await login(t, t.a.adminEmail, t.password, `198.51.100.${i % 250}`);
    times.push(performance.now() - started);
    if (res.statusCode !== 200) throw new Error(`a right-password sign-in got ${res.statusCode}: ${res.body}`);
  }
  return times.sort((a, b) => a - b);
}

/** One phase on a fresh app, so one flood's counters do not carry into the next. */
async function measure(name: string, floodAddresses: number | null): Promise<Phase> {
  const t = await startTestApp("sqlite");
  const floodAnswers: Record<string, number> = {};
  let flooding = floodAddresses !== null;
  let answered = 0;
  const attacker = async (i: number) => {
    for (let n = 0; flooding; n++) {
      const res = await login(t, `victim-${(i * 7 + n) % 50}@alpha.test`, `guess-${n}`, `192.0.2.${i % floodAddresses!}`);
      floodAnswers[res.statusCode] = (floodAnswers[res.statusCode] ?? 0) + 1;
      answered++;
    }
  };
  try {
    const flood = floodAddresses === null ? [] : Array.from({ length: attackers }, (_, i) => attacker(i));
    // The flood's first wave from fresh addresses ranks like anyone's first attempt; measure
    // once every attacker has had an answer, as a real flood would be by then.
    while (answered < flood.length) await new Promise((resolve) => setTimeout(resolve, 50));
    const times = await timeSignIns(t);
    flooding = false;
    await Promise.all(flood);
    return { name, p50Ms: percentile(times, 50), p95Ms: percentile(times, 95), maxMs: times.at(-1)!, floodAnswers };
  } finally {
    await t.close();
  }
}

const loadBefore = loadavg();
const phases = [
  await measure("no flood", null),
  await measure(`${attackers} concurrent wrong sign-ins from one address`, 1),
  await measure(`${attackers} concurrent wrong sign-ins from ${attackers} addresses`, attackers),
];
const load = { before: loadBefore.map((l) => Number(l.toFixed(2))), after: loadavg().map((l) => Number(l.toFixed(2))) };

if (args.json) {
  console.log(JSON.stringify({ signIns, attackers, load, phases }, null, 2));
} else {
  const ms = (v: number) => `${Math.round(v)} ms`;
  console.log(`| sign-ins (${signIns}, right password) | p50 | p95 | max | flood answers |`);
  console.log("| --- | --- | --- | --- | --- |");
  for (const p of phases) {
    const answers = Object.entries(p.floodAnswers).map(([status, n]) => `${n} × ${status}`).join(", ") || "—";
    console.log(`| ${p.name} | ${ms(p.p50Ms)} | ${ms(p.p95Ms)} | ${ms(p.maxMs)} | ${answers} |`);
  }
  console.log(`\nload average (1, 5, 15 min): ${load.before.join(", ")} before, ${load.after.join(", ")} after`);
}
