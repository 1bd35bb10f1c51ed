// Sign-in throttling over the real app: wrong passwords block the account and the address
// (429 with Retry-After) while the right password never counts; known and unknown emails take
// the same time; and a flood of wrong sign-ins does not hold other people's sign-ins up.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LightMyRequestResponse } from "fastify";
import { startTestApp, type TestApp } from "../support/app.ts";

function login(t: TestApp, email: string, password: string, address = "10.0.0.1"): Promise<LightMyRequestResponse> {
  return t.app.inject({ method: "POST", url: "/api/v1/session", remoteAddress: address, headers: { "content-type": "application/json" }, payload: JSON.stringify({ email, password }) });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil(values.length * p) - 1)]!;

describe("sign-in throttling", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp("sqlite", { loginThrottle: { accountAttempts: 5, addressAttempts: 8 } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("blocks an account after its failed attempts, even for the right password, with 429 and Retry-After", async () => {
    for (let i = 0; i < 5; i++) expect((await login(t, t.a.memberEmail, "wrong-password", `10.1.0.${i}`)).statusCode).toBe(401);
    const blocked = await login(t, t.a.memberEmail, t.password, "10.1.0.99");
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error.code).toBe("rate_limited");
    expect(Number(blocked.headers["retry-after"])).toBeGreaterThan(60);
    // Other accounts are not affected.
    expect((await login(t, t.b.memberEmail, t.password, "10.1.0.99")).statusCode).toBe(200);
  });

  it("answers an unknown email's run of failures exactly as a known one's (no account enumeration)", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await login(t, "ghost@alpha.test", "wrong-password", `10.2.0.${i}`)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it("blocks an address after its failed attempts over many accounts; right passwords do not count", async () => {
    for (let i = 0; i < 3; i++) expect((await login(t, t.a.adminEmail, t.password, "10.3.0.1")).statusCode).toBe(200);
    for (let i = 0; i < 8; i++) expect((await login(t, `nobody-${i}@alpha.test`, "wrong-password", "10.3.0.1")).statusCode).toBe(401);
    const blocked = await login(t, t.a.adminEmail, t.password, "10.3.0.1");
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers["retry-after"]).toBeDefined();
    expect((await login(t, t.a.adminEmail, t.password, "10.3.0.2")).statusCode).toBe(200);
  });

  it("takes as long for an unknown email as for a known one", async () => {
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 4; i++) {
      for (const [email, times] of [[t.b.adminEmail, known], [`ghost-${i}@beta.test`, unknown]] as const) {
        const started = performance.now();
        expect((await login(t, email, "wrong-password", `10.4.${i}.${times.length}`)).statusCode).toBe(401);
        times.push(performance.now() - started);
      }
    }
    // Both pay for one password check (hundreds of ms); without the stand-in an unknown email took ~1% of it.
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.6);
    expect(median(known)).toBeGreaterThan(median(unknown) * 0.6);
  });
});

describe("sign-ins during a flood of wrong ones", () => {
  let t: TestApp;
  let quietP95 = 0;
  const signIns = async (n: number): Promise<number[]> => {
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const started = performance.now();
      const res = await login(t, t.a.adminEmail, t.password, `198.51.100.${i}`);
      times.push(performance.now() - started);
      expect(res.statusCode).toBe(200);
    }
    return times;
  };
  beforeAll(async () => {
    t = await startTestApp("sqlite");
    const quiet = await signIns(8);
    quietP95 = percentile(quiet, 0.95);
    console.log(`login without a flood: p50 ${Math.round(median(quiet))} ms, p95 ${Math.round(quietP95)} ms`);
  });
  afterAll(async () => {
    await t?.close();
  });

  for (const flood of [{ name: "from one address", addresses: 1 }, { name: "from 30 addresses", addresses: 30 }]) {
    it(`keeps other people's sign-ins near their usual time with 30 concurrent wrong sign-ins ${flood.name}`, { timeout: 120_000 }, async () => {
      let flooding = true;
      let floodAnswers = 0;
      const attacker = async (i: number) => {
        for (let n = 0; flooding; n++) {
          await login(t, `victim-${(i * 7 + n) % 50}@alpha.test`, `guess-${n}`, `192.0.2.${i % flood.addresses}`);
          floodAnswers++;
        }
      };
      const attackers = Array.from({ length: 30 }, (_, i) => attacker(i));
      // The flood's first wave from fresh addresses looks like anyone's first attempt; measure
      // the flood once every attacker has been answered at least once.
      while (floodAnswers < 30) await new Promise((resolve) => setTimeout(resolve, 50));
      const times = await signIns(12);
      flooding = false;
      await Promise.all(attackers);
      const p95 = percentile(times, 0.95);
      console.log(`login flood ${flood.name}: p50 ${Math.round(median(times))} ms, p95 ${Math.round(p95)} ms over ${times.length} sign-ins; ${floodAnswers} flood answers`);
      // Under 1 s on an idle 2-core machine (docs/decisions/0015). The machine running the tests
      // may be busy, so the bound is relative to the same sign-ins without a flood: waiting
      // behind the flood's password checks would take some 8 to 15 times as long.
      expect(p95).toBeLessThan(Math.max(1000, 3 * quietP95));
    });
  }
});
