// Sign-in throttling (product spec §11): attempts are counted per account and per client
// address before the password is checked, and a correct password gives its points back, so a
// run of wrong passwords blocks further tries (429 with Retry-After) while people who type
// theirs right are not slowed. Every attempt, for a known email or not, costs one scrypt
// computation through a FairGate, so answers take the same time for known and unknown emails
// and a flood from one address cannot queue other people's sign-ins behind it.
// The counters live in this process's memory, or in PostgreSQL when the app runs on it so every
// API process shares them (docs/decisions/0015 and 0055); the check gate is per process.
import { availableParallelism } from "node:os";
import { RateLimiterRes } from "rate-limiter-flexible";
import { AppError } from "../core/errors.ts";
import { verifyPassword } from "../core/security.ts";
import { FairGate, GateFullError } from "./fair-gate.ts";
import { memoryLoginCounters, type LoginCounter, type LoginCounters } from "./login-counters.ts";

export interface LoginThrottleOptions {
  /** Failed sign-ins to one account within the window before it is blocked until the window ends. */
  accountAttempts: number;
  /** Failed sign-ins from one address within the window before it is blocked. */
  addressAttempts: number;
  windowSeconds: number;
  /** Password checks running at once (each holds a CPU core for a few hundred ms). */
  concurrentChecks: number;
  /**
   * Checks a password against a stored hash. The app always uses scrypt's verifyPassword; tests
   * pass one that counts the checks or holds them, to see what each attempt paid for and in
   * which order the gate admitted them, without measuring time.
   */
  verify: (plain: string, storedHash: string) => Promise<boolean>;
  /** Where attempts are counted; this process's memory unless the app shares PostgreSQL counters. */
  counters: LoginCounters;
  /**
   * How long a refusal is held before it is answered (never past the block's end). A flood's
   * refusals cost this process a request each; holding them turns a client that retries at once
   * into one request per hold, at the price of a timer, not of CPU (docs/decisions/0058).
   */
  refusalHoldMs: number;
  /** Refusals held at once; beyond that they are answered at once, so held sockets stay bounded. */
  maxHeldRefusals: number;
  /** Waits the hold out; tests pass one they release themselves to see the order without timing. */
  hold: (ms: number) => Promise<void>;
}

export const defaultLoginThrottle: LoginThrottleOptions = {
  accountAttempts: 10,
  addressAttempts: 50,
  windowSeconds: 15 * 60,
  concurrentChecks: Math.min(4, Math.max(1, availableParallelism())),
  verify: verifyPassword,
  counters: memoryLoginCounters,
  refusalHoldMs: 1000,
  maxHeldRefusals: 256,
  hold: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** One sign-in attempt that passed the counters; report how it went. */
export interface LoginAttempt {
  /** Checks the password against the stored hash (or a stand-in for an unknown account) in turn. */
  check(plain: string, storedHash: string | undefined): Promise<boolean>;
  /** A correct password: the attempt does not count against the account or the address. */
  succeeded(): Promise<void>;
}

/**
 * Checked for unknown emails so they cost what known ones do: a hash of a random password that
 * was thrown away, with hashPassword's parameters (login-throttle.test.ts keeps them equal).
 */
export const standInHash = "scrypt$32768$8$3$NG2zWE_QG6LMe8D-mne9gg$sRAWbis1x-sM9dkPuqAL7p7BPJdzUn4e2_00jLexDpA";

export class LoginThrottle {
  readonly #account: LoginCounter;
  readonly #address: LoginCounter;
  readonly #gate: FairGate;
  readonly #verify: LoginThrottleOptions["verify"];
  readonly #options: Pick<LoginThrottleOptions, "refusalHoldMs" | "maxHeldRefusals" | "hold">;
  #heldRefusals = 0;

  constructor(options: Partial<LoginThrottleOptions> = {}) {
    const o = { ...defaultLoginThrottle, ...options };
    this.#account = o.counters({ keyPrefix: "login:account", points: o.accountAttempts, durationSeconds: o.windowSeconds });
    this.#address = o.counters({ keyPrefix: "login:address", points: o.addressAttempts, durationSeconds: o.windowSeconds });
    this.#verify = o.verify;
    this.#options = o;
    // One check slot is kept for attempts with a clean record (when there are two or more): a
    // flood never holds every core, so someone's sign-in starts at once.
    this.#gate = new FairGate({ concurrency: o.concurrentChecks, suspectConcurrency: Math.max(1, o.concurrentChecks - 1), perClient: 1, maxWaitingPerClient: 4, maxWaiting: 64 });
  }

  /**
   * Counts an attempt for this account and address, or refuses it with `rate_limited` and the
   * seconds to wait. The account key is whatever was typed (normalised), known or not, so a
   * block says nothing about whether the account exists.
   */
  async begin(accountKey: string, address: string): Promise<LoginAttempt> {
    const account = accountKey.trim().toLowerCase();
    const spent: LoginCounter[] = [];
    // How suspect the attempt is: the address's and the account's attempts in the window that
    // have not succeeded, this one excluded. Someone who types their password right ranks 0.
    let rank = 0;
    try {
      rank += (await this.#address.consume(address, 1)).consumedPoints - 1;
      spent.push(this.#address);
      rank += (await this.#account.consume(account, 1)).consumedPoints - 1;
      spent.push(this.#account);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      // The other counter's point is given back: a refused attempt is not an attempt.
      await Promise.all(spent.map((limiter) => limiter.reward(limiter === this.#address ? address : account, 1)));
      await this.#holdRefusal(error.msBeforeNext);
      throw tooManyAttempts(error.msBeforeNext);
    }
    return {
      check: async (plain, storedHash) => {
        const hash = storedHash ?? standInHash;
        try {
          const ok = await this.#gate.run(address, rank, () => this.#verify(plain, hash));
          return ok && storedHash !== undefined;
        } catch (error) {
          if (!(error instanceof GateFullError)) throw error;
          await Promise.all([this.#address.reward(address, 1), this.#account.reward(account, 1)]);
          await this.#holdRefusal(1000);
          throw tooManyAttempts(1000);
        }
      },
      succeeded: async () => {
        await Promise.all([this.#account.delete(account), this.#address.reward(address, 1)]);
      },
    };
  }

  async #holdRefusal(msBeforeNext: number): Promise<void> {
    const { refusalHoldMs, maxHeldRefusals, hold } = this.#options;
    if (this.#heldRefusals >= maxHeldRefusals || refusalHoldMs <= 0) return;
    this.#heldRefusals++;
    try {
      await hold(Math.min(refusalHoldMs, msBeforeNext));
    } finally {
      this.#heldRefusals--;
    }
  }
}

function tooManyAttempts(msBeforeNext: number): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new AppError("rate_limited", `Too many sign-in attempts; try again in ${retryAfterSeconds} s.`, { retryAfterSeconds });
}
