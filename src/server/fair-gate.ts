// Bounds expensive work (password hashing) and shares it fairly between client addresses: at
// most `concurrency` tasks run at once, at most `perClient` of them for one address, and a
// freed slot goes to the next address in turn rather than to the longest queue. A flood from
// one address therefore holds one slot and its own short queue; other people's sign-ins take
// the next free slot instead of waiting behind the flood. A client also says how suspect it is
// (for sign-ins: its recent failed attempts); a freed slot goes to the least suspect waiting
// client first, so a flood spread over many addresses, each failing, waits behind people whose
// attempts have been succeeding. Suspect tasks (rank above 0) may also hold only
// `suspectConcurrency` slots: the rest stay free for people with a clean record, so a sign-in
// starts at once instead of waiting for a flood's check to end, and shares the CPU with fewer
// of them while it runs.

export interface FairGateOptions {
  /** Tasks running at once, over all clients. */
  concurrency: number;
  /** Tasks of rank above 0 running at once; defaults to concurrency (no slot held back). */
  suspectConcurrency?: number;
  /** Tasks running at once for one client. */
  perClient: number;
  /** Tasks one client may have waiting; more are refused at once. */
  maxWaitingPerClient: number;
  /** Tasks waiting over all clients; more are refused at once. */
  maxWaiting: number;
}

/** The gate is full for this client: the caller answers "try again shortly" without doing the work. */
export class GateFullError extends Error {
  constructor() {
    super("Too many attempts are waiting.");
    this.name = "GateFullError";
  }
}

export class FairGate {
  readonly #options: FairGateOptions;
  readonly #suspectConcurrency: number;
  #running = 0;
  #runningSuspect = 0;
  #waitingTotal = 0;
  readonly #runningBy = new Map<string, number>();
  // Insertion order of the map is the round-robin order of clients with waiting tasks.
  readonly #waitingBy = new Map<string, Array<{ rank: number; resolve: () => void }>>();

  constructor(options: FairGateOptions) {
    for (const [name, value] of Object.entries(options)) {
      if (!Number.isInteger(value) || value < (name.startsWith("maxWaiting") ? 0 : 1)) throw new RangeError(`${name} must be a positive integer, got ${String(value)}`);
    }
    this.#options = options;
    this.#suspectConcurrency = Math.min(options.suspectConcurrency ?? options.concurrency, options.concurrency);
  }

  get running(): number {
    return this.#running;
  }

  get waiting(): number {
    return this.#waitingTotal;
  }

  /** Runs the task when a slot is free for this client; a lower rank is served first. */
  async run<T>(client: string, rank: number, task: () => Promise<T>): Promise<T> {
    if (!this.#canStart(client, rank)) {
      const queue = this.#waitingBy.get(client) ?? [];
      if (queue.length >= this.#options.maxWaitingPerClient || this.#waitingTotal >= this.#options.maxWaiting) throw new GateFullError();
      await new Promise<void>((resolve) => {
        queue.push({ rank, resolve });
        this.#waitingBy.set(client, queue);
        this.#waitingTotal++;
      });
    } else {
      this.#start(client, rank);
    }
    try {
      return await task();
    } finally {
      this.#finish(client, rank);
    }
  }

  #canStart(client: string, rank: number): boolean {
    return (
      this.#running < this.#options.concurrency &&
      (rank <= 0 || this.#runningSuspect < this.#suspectConcurrency) &&
      (this.#runningBy.get(client) ?? 0) < this.#options.perClient
    );
  }

  #start(client: string, rank: number): void {
    this.#running++;
    if (rank > 0) this.#runningSuspect++;
    this.#runningBy.set(client, (this.#runningBy.get(client) ?? 0) + 1);
  }

  #finish(client: string, rank: number): void {
    this.#running--;
    if (rank > 0) this.#runningSuspect--;
    const left = (this.#runningBy.get(client) ?? 1) - 1;
    if (left === 0) this.#runningBy.delete(client);
    else this.#runningBy.set(client, left);
    this.#startNext();
  }

  /**
   * Hands free slots to waiting clients: the lowest rank first, among equals the client that
   * waited longest for its turn; a client served goes to the back of the line.
   */
  #startNext(): void {
    while (this.#running < this.#options.concurrency) {
      let next: string | undefined;
      let best = Infinity;
      for (const [client, queue] of this.#waitingBy) {
        if (queue[0]!.rank < best && this.#canStart(client, queue[0]!.rank)) {
          next = client;
          best = queue[0]!.rank;
        }
      }
      if (next === undefined) return;
      const queue = this.#waitingBy.get(next)!;
      const { resolve } = queue.shift()!;
      this.#waitingTotal--;
      this.#waitingBy.delete(next);
      if (queue.length > 0) this.#waitingBy.set(next, queue);
      this.#start(next, best);
      resolve();
    }
  }
}
