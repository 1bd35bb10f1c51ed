import { describe, expect, it } from "vitest";
import { hashPassword } from "../core/security.ts";
import { LoginThrottle, standInHash } from "./login-throttle.ts";

describe("the stand-in hash for unknown emails", () => {
  it("has the parameters of a new password hash, so checking it costs the same", async () => {
    const params = (hash: string) => hash.split("$").slice(0, 4).join("$");
    expect(params(standInHash)).toBe(params(await hashPassword("any password")));
  });
});

/**
 * A throttle with one password check at a time whose checks wait until the test finishes them,
 * so the order in which the gate admits attempts is seen directly, not through their timings.
 * A check succeeds when the password is "right".
 */
function heldThrottle() {
  const started: string[] = [];
  const pending: Array<() => void> = [];
  const throttle = new LoginThrottle({
    concurrentChecks: 1,
    verify: (plain) => {
      started.push(plain);
      return new Promise((resolve) => pending.push(() => resolve(plain === "right")));
    },
  });
  const tick = () => new Promise((resolve) => setImmediate(resolve));
  /** Finishes the running check and lets the gate admit the next one. */
  const finishRunning = async () => {
    await tick();
    pending.shift()!();
    await tick();
  };
  /** Begins an attempt and starts its check, which runs or waits its turn. */
  const attempt = async (account: string, address: string, password: string) => (await throttle.begin(account, address)).check(password, "stored hash");
  return { started, attempt, finishRunning, tick };
}

/**
 * Starts the flood's checks (the first runs, the rest wait), then a right-password sign-in from
 * a fresh address, finishes every check in turn and returns the order in which they ran.
 */
async function orderDuringFlood(throttle: ReturnType<typeof heldThrottle>, flood: Array<[account: string, address: string]>): Promise<string[]> {
  const { started, attempt, finishRunning, tick } = throttle;
  const first = started.length;
  const floodChecks = flood.map(([account, address], i) => attempt(account, address, `guess-${i}`));
  await tick();
  const person = attempt("admin@alpha.test", "198.51.100.7", "right");
  for (let i = 0; i <= flood.length; i++) await finishRunning();
  expect(await person).toBe(true);
  expect(await Promise.all(floodChecks)).toEqual(flood.map(() => false));
  return started.slice(first);
}

// The fairness that keeps sign-ins quick during a flood (docs/decisions/0015), as the order of
// admission; bench/login-flood.ts measures what it means in milliseconds on the real app.
describe("sign-ins during a flood of wrong ones", () => {
  it("admits someone else's sign-in before the queued checks of a flood from one address", async () => {
    const flood = Array.from({ length: 5 }, (_, i): [string, string] => [`victim-${i}@alpha.test`, "192.0.2.1"]);
    expect(await orderDuringFlood(heldThrottle(), flood)).toEqual(["guess-0", "right", "guess-1", "guess-2", "guess-3", "guess-4"]);
  });

  it("admits someone else's sign-in before a flood spread over many addresses that have failed before", async () => {
    const throttle = heldThrottle();
    // Each flooding address has one wrong sign-in behind it already.
    for (let i = 0; i < 5; i++) {
      const failed = throttle.attempt(`victim-${i}@alpha.test`, `192.0.2.${i}`, `first-${i}`);
      await throttle.finishRunning();
      expect(await failed).toBe(false);
    }
    const flood = Array.from({ length: 5 }, (_, i): [string, string] => [`victim-${i + 5}@alpha.test`, `192.0.2.${i}`]);
    expect(await orderDuringFlood(throttle, flood)).toEqual(["guess-0", "right", "guess-1", "guess-2", "guess-3", "guess-4"]);
  });
});

// A blocked client that retries at once would cost a request each time; its refusals are held
// (docs/decisions/0058). Seen through a hold the test releases, not through timings.
describe("refusals of a blocked address", () => {
  function holdingThrottle(maxHeldRefusals: number) {
    const holds: Array<{ ms: number; release: () => void }> = [];
    const throttle = new LoginThrottle({
      addressAttempts: 1,
      accountAttempts: 100,
      maxHeldRefusals,
      verify: () => Promise.resolve(false),
      hold: (ms) => new Promise((resolve) => holds.push({ ms, release: () => resolve() })),
    });
    return { throttle, holds };
  }
  const refused = async (promise: Promise<unknown>) => promise.then(() => "admitted", (error: { code?: string }) => error.code);

  it("answers 429 only once the hold is over, holding no longer than the block lasts", async () => {
    const { throttle, holds } = holdingThrottle(10);
    await (await throttle.begin("a@alpha.test", "192.0.2.1")).check("wrong", "stored");
    let answered = false;
    const refusal = refused(throttle.begin("b@alpha.test", "192.0.2.1")).finally(() => (answered = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(holds).toHaveLength(1);
    expect(holds[0]!.ms).toBe(1000);
    expect(answered).toBe(false);
    holds[0]!.release();
    expect(await refusal).toBe("rate_limited");
  });

  it("answers at once beyond the refusals it may hold, so held sockets stay bounded", async () => {
    const { throttle, holds } = holdingThrottle(2);
    await (await throttle.begin("a@alpha.test", "192.0.2.1")).check("wrong", "stored");
    const refusals = [1, 2, 3, 4].map((i) => refused(throttle.begin(`b${i}@alpha.test`, "192.0.2.1")));
    // Held ones would never settle here: nothing releases them before this line.
    expect(await Promise.all(refusals.slice(2))).toEqual(["rate_limited", "rate_limited"]);
    expect(holds).toHaveLength(2);
    for (const h of holds) h.release();
    expect(await Promise.all(refusals.slice(0, 2))).toEqual(["rate_limited", "rate_limited"]);
  });
});
