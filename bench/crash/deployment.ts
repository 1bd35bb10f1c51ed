// What a SIGKILL trial needs from a deployment, whichever database and queue it runs on: fresh
// workspaces set up for account sync, a way to turn sync on, one worker process that can be
// killed and started again, and the jobs still due for a workspace.
import type { Kysely } from "kysely";
import type { RunningEmulator } from "../../emulator/index.ts";
import type { Database } from "../../src/db/schema.ts";

export interface TrialWorkspace {
  id: string;
  token: string;
}

export interface CrashDeployment {
  readonly name: string;
  readonly db: Kysely<Database>;
  readonly emu: RunningEmulator;
  /** n workspaces, each connected to the emulator with the fields imported; sync off. */
  workspaces(n: number): Promise<TrialWorkspace[]>;
  enable(ws: TrialWorkspace): Promise<void>;
  /** Jobs of the workspace that are pending or running and due within a minute. */
  dueJobs(workspaceId: string): Promise<number>;
  /** Starts the worker process and resolves when it is ready to take jobs. */
  startWorker(): Promise<void>;
  /** SIGKILLs the worker process and resolves when it is gone. */
  killWorker(): Promise<void>;
  /** What may happen while the dead worker still holds its job (a scheduled trigger landing). */
  afterKill(ws: TrialWorkspace): Promise<void>;
  /** Undoes afterKill once the trial is over, so it does not run later. */
  cleanUp(ws: TrialWorkspace): Promise<void>;
  close(): Promise<void>;
}
