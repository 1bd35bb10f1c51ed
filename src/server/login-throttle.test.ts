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
