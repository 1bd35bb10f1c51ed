// Sign-in throttling over the real app: wrong passwords block the account and the address
// (429 with Retry-After) while the right password never counts, and known and unknown emails
// cost the same password check. That a flood does not hold other people's sign-ins up is shown
// by login-throttle.test.ts (the order checks are admitted in) and measured by
// bench/login-flood.ts: timings belong in benchmarks, not in tests.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LightMyRequestResponse } from "fastify";
import { verifyPassword } from "../../src/core/security.ts";
import { startTestApp, type TestApp } from "../support/app.ts";

function login(t: TestApp, email: string, password: string, address = "10.0.0.1"): Promise<LightMyRequestResponse> {
  return t.app.inject({ method: "POST", url: "/api/v1/session", remoteAddress: address, headers: { "content-type": "application/json" }, payload: JSON.stringify({ email, password }) });
}

describe("sign-in throttling", () => {
  let t: TestApp;
  // The hashes the app checked passwords against, in order: the real check, only observed.
  const checked: string[] = [];
  const verify = (plain: string, storedHash: string) => (checked.push(storedHash), verifyPassword(plain, storedHash));
  beforeAll(async () => {
    t = await startTestApp("sqlite", { loginThrottle: { accountAttempts: 5, addressAttempts: 8, verify } });
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

  it("checks one password for an unknown or malformed email, as for a known one, against a hash of the same cost", async () => {
    const checksBy = async (email: string, address: string): Promise<string[]> => {
      checked.length = 0;
      expect((await login(t, email, "wrong-password", address)).statusCode).toBe(401);
      return [...checked];
    };
    const known = await checksBy(t.b.adminEmail, "10.4.0.1");
    const unknown = await checksBy("ghost@beta.test", "10.4.0.2");
    const malformed = await checksBy("not an email", "10.4.0.3");
    // What an attempt costs is one scrypt check with these parameters (N, r, p), so the answer
    // takes as long whether the account exists or not; skipping the check would answer sooner.
    const cost = (hashes: string[]) => hashes.map((hash) => hash.split("$").slice(0, 4).join("$"));
    expect(known).toHaveLength(1);
    expect(cost(unknown)).toEqual(cost(known));
    expect(cost(malformed)).toEqual(cost(known));
  });
});
