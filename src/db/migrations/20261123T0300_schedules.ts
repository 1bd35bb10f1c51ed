// Forward-only. Written against Kysely<any> and importing no app code.
// What the job queue needs beyond the initial jobs table: exclusivity and leases on jobs, and
// the slots table that lets many scheduler processes agree on who fires each schedule slot.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  // A job is never claimed while another job with the same key is running.
  await db.schema.alterTable("jobs").addColumn("exclusive_key", "text").execute();
  // A running job whose lease has passed belongs to a dead worker and may be reclaimed.
  await db.schema.alterTable("jobs").addColumn("lease_expires_at", "text").execute();
  await db.schema.alterTable("jobs").addColumn("finished_at", "text").execute();

  // The unique index below would refuse to build over duplicates written before it existed;
  // keeping the oldest pending job per key is what coalescing would have done.
  await sql`
    update jobs set status = 'cancelled'
    where status = 'pending' and coalesce_key is not null
      and exists (
        select 1 from jobs older
        where older.coalesce_key = jobs.coalesce_key and older.status = 'pending'
          and (older.created_at < jobs.created_at or (older.created_at = jobs.created_at and older.id < jobs.id))
      )`.execute(db);

  // The database, not a read-then-write in the application, decides coalescing and exclusivity,
  // so two processes racing cannot both win. Literal predicates: partial index conditions and
  // ON CONFLICT inference cannot take bound parameters.
  await sql`create unique index jobs_pending_coalesce on jobs (coalesce_key) where status = 'pending'`.execute(db);
  await sql`create unique index jobs_running_exclusive on jobs (exclusive_key) where status = 'running'`.execute(db);
  await db.schema.createIndex("jobs_workspace_created").on("jobs").columns(["workspace_id", "created_at"]).execute();

  await db.schema
    .createTable("schedule_slots")
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("slot_start", "text", (c) => c.notNull())
    .addColumn("claimed_by", "text", (c) => c.notNull())
    .addColumn("claimed_at", "text", (c) => c.notNull())
    // Null until the slot's jobs are all enqueued, so a claimer that died midway can be replaced.
    .addColumn("fired_at", "text")
    .addColumn("jobs_enqueued", "integer", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("schedule_slots_pk", ["name", "slot_start"])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error("crmsync migrations are forward-only");
}
