import { describe, expect, it } from "vitest";
import { FairGate, GateFullError } from "./fair-gate.ts";

/** A task that runs until released, recording when it started. */
function held(log: string[], name: string) {
  let release: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (release = resolve));
  return { task: () => (log.push(name), done), release: () => release() };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("FairGate", () => {
  it("runs at most `concurrency` tasks and one per client at a time", async () => {
    const gate = new FairGate({ concurrency: 2, perClient: 1, maxWaitingPerClient: 4, maxWaiting: 10 });
    const log: string[] = [];
    const a1 = held(log, "a1");
    const a2 = held(log, "a2");
    const b1 = held(log, "b1");
    const runs = [gate.run("a", 0, a1.task), gate.run("a", 0, a2.task), gate.run("b", 0, b1.task)];
    await tick();
    expect(log).toEqual(["a1", "b1"]);
    expect(gate.waiting).toBe(1);
    a1.release();
    await tick();
    expect(log).toEqual(["a1", "b1", "a2"]);
    a2.release();
    b1.release();
    await Promise.all(runs);
    expect(gate.running).toBe(0);
  });

  it("gives a freed slot to the least suspect waiting client, whoever queued first", async () => {
    const gate = new FairGate({ concurrency: 1, perClient: 1, maxWaitingPerClient: 4, maxWaiting: 10 });
    const log: string[] = [];
    const first = held(log, "flood-0");
    const tasks = [gate.run("flood-0", 5, first.task)];
    const waiting = Array.from({ length: 3 }, (_, i) => held(log, `flood-${i + 1}`));
    waiting.forEach((w, i) => tasks.push(gate.run(`flood-${i + 1}`, 5, w.task)));
    const person = held(log, "person");
    tasks.push(gate.run("person", 0, person.task));
    await tick();
    first.release();
    await tick();
    expect(log).toEqual(["flood-0", "person"]);
    person.release();
    for (const w of waiting) {
      await tick();
      w.release();
    }
    await Promise.all(tasks);
    expect(log).toEqual(["flood-0", "person", "flood-1", "flood-2", "flood-3"]);
  });

  it("keeps the slots above suspectConcurrency for clean clients: a person starts at once beside a flood", async () => {
    const gate = new FairGate({ concurrency: 2, suspectConcurrency: 1, perClient: 1, maxWaitingPerClient: 4, maxWaiting: 10 });
    const log: string[] = [];
    const flood = Array.from({ length: 3 }, (_, i) => held(log, `flood-${i}`));
    const tasks = flood.map((f, i) => gate.run(`flood-${i}`, 1, f.task));
    await tick();
    // Two slots, yet only one suspect check runs.
    expect(log).toEqual(["flood-0"]);
    const person = held(log, "person");
    tasks.push(gate.run("person", 0, person.task));
    await tick();
    expect(log).toEqual(["flood-0", "person"]);
    expect(gate.running).toBe(2);
    // The person's slot freed does not go to the flood.
    person.release();
    await tick();
    expect(log).toEqual(["flood-0", "person"]);
    flood[0]!.release();
    await tick();
    expect(log).toEqual(["flood-0", "person", "flood-1"]);
    flood[1]!.release();
    await tick();
    flood[2]!.release();
    await Promise.all(tasks);
    expect(log).toEqual(["flood-0", "person", "flood-1", "flood-2"]);
    expect(gate.running).toBe(0);
  });

  it("refuses at once when a client's queue or the whole queue is full", async () => {
    const gate = new FairGate({ concurrency: 1, perClient: 1, maxWaitingPerClient: 1, maxWaiting: 2 });
    const log: string[] = [];
    const running = held(log, "a1");
    const a1 = gate.run("a", 0, running.task);
    const a2 = gate.run("a", 0, () => Promise.resolve());
    await expect(gate.run("a", 0, () => Promise.resolve())).rejects.toBeInstanceOf(GateFullError);
    const b1 = gate.run("b", 0, () => Promise.resolve());
    await expect(gate.run("c", 0, () => Promise.resolve())).rejects.toBeInstanceOf(GateFullError);
    running.release();
    await Promise.all([a1, a2, b1]);
  });
});
