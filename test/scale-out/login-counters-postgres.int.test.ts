// Sign-in attempts counted in PostgreSQL: two API processes (two throttles, each with its own
// counters over the same database) share one count per account, so an attacker spreading
// guesses over the processes behind a load balancer gets the limit once, not once per process.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../src/core/errors.ts";
import { memoryLoginCounters, postgresLoginCounters } from "../../src/server/login-counters.ts";
import { LoginThrottle, type LoginThrottleOptions } from "../../src/server/login-throttle.ts";
import { createTestDatabase, type TestDatabase } from "../support/databases.ts";

describe("sign-in counters shared in PostgreSQL", () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  const closers: (() => void)[] = [];

  beforeAll(async () => {
    database = await createTestDatabase("postgres", { migrate: false });
    if (database.target.dialect !== "postgres") throw new Error("postgres only");
    pool = new pg.Pool({ connectionString: database.target.url, max: 4 });
  });
  afterAll(async () => {
    for (const close of closers) close();
    await pool?.end();
    await database?.drop();
  });

  /** An API process's throttle: 3 attempts per account, a check that accepts "right". */
  const throttle = (counters: LoginThrottleOptions["counters"]) =>
    new LoginThrottle({ accountAttempts: 3, addressAttempts: 100, concurrentChecks: 1, verify: (plain) => Promise.resolve(plain === "right"), counters });
  const sharedProcess = () => {
    const counters = postgresLoginCounters(pool);
    closers.push(counters.close);
    return throttle(counters);
  };
  /** One sign-in: "ok", "wrong", or the refusal's code. */
  const signIn = async (t: LoginThrottle, account: string, address: string, password: string) => {
    try {
      const attempt = await t.begin(account, address);
      if (!(await attempt.check(password, "stored hash"))) return "wrong";
      await attempt.succeeded();
      return "ok";
    } catch (error) {
      if (error instanceof AppError) return error.code;
      throw error;
    }
  };

  it("blocks an account after 3 wrong passwords spread over two processes, in both", async () => {
    const [one, two] = [sharedProcess(), sharedProcess()];
    const results = [
      await signIn(one, "ada@example.test", "192.0.2.1", "guess-1"),
      await signIn(two, "ada@example.test", "192.0.2.2", "guess-2"),
      await signIn(one, "ada@example.test", "192.0.2.3", "guess-3"),
      await signIn(two, "ada@example.test", "192.0.2.4", "guess-4"),
      await signIn(one, "ada@example.test", "192.0.2.5", "right"),
    ];
    expect(results).toEqual(["wrong", "wrong", "wrong", "rate_limited", "rate_limited"]);
    // Another account is not affected.
    expect(await signIn(two, "grace@example.test", "192.0.2.6", "right")).toBe("ok");
  });

  it("forgets an account's failures in every process once its password is right", async () => {
    const [one, two] = [sharedProcess(), sharedProcess()];
    expect(await signIn(one, "linus@example.test", "198.51.100.1", "guess-1")).toBe("wrong");
    expect(await signIn(one, "linus@example.test", "198.51.100.1", "guess-2")).toBe("wrong");
    expect(await signIn(two, "linus@example.test", "198.51.100.2", "right")).toBe("ok");
    const after = [];
    for (let i = 0; i < 3; i++) after.push(await signIn(i % 2 ? one : two, "linus@example.test", "198.51.100.3", `again-${i}`));
    expect(after).toEqual(["wrong", "wrong", "wrong"]);
  });

  it("(what in-memory counters do: each process allows the full count)", async () => {
    const [one, two] = [throttle(memoryLoginCounters), throttle(memoryLoginCounters)];
    const results = [];
    for (let i = 0; i < 6; i++) results.push(await signIn(i % 2 ? two : one, "ken@example.test", "203.0.113.1", `guess-${i}`));
    expect(results).toEqual(["wrong", "wrong", "wrong", "wrong", "wrong", "wrong"]);
  });
});
