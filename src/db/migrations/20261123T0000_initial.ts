// Forward-only. Written against Kysely<any> and importing no app code, so it runs the same
// on every future version of the schema types. Types chosen to behave alike on both dialects.
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("workspaces")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("users")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id").onDelete("cascade"))
    .addColumn("email", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("users_workspace").on("users").column("workspace_id").execute();

  await db.schema
    .createTable("sessions")
    .addColumn("token_hash", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("api_tokens")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("created_by", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("last_used_at", "text")
    .execute();

  await db.schema
    .createTable("customers")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("crm_company_id", "text")
    .addColumn("crm_deal_id", "text")
    .addColumn("crm_link_source", "text")
    .addColumn("crm_linked_at", "text")
    .addColumn("unlinked_reason", "text")
    .addColumn("link_candidates", "text")
    .addColumn("link_checked_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("customers_workspace_name").on("customers").columns(["workspace_id", "name", "id"]).execute();
  await db.schema.createIndex("customers_workspace_created").on("customers").columns(["workspace_id", "created_at", "id"]).execute();
  await db.schema.createIndex("customers_workspace_company").on("customers").columns(["workspace_id", "crm_company_id"]).execute();

  await db.schema
    .createTable("customer_domains")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("customer_id", "text", (c) => c.notNull().references("customers.id").onDelete("cascade"))
    .addColumn("domain", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("customer_domains_pk", ["workspace_id", "domain"])
    .execute();
  await db.schema.createIndex("customer_domains_customer").on("customer_domains").column("customer_id").execute();

  await db.schema
    .createTable("contacts")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id").onDelete("cascade"))
    .addColumn("customer_id", "text", (c) => c.references("customers.id").onDelete("set null"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("first_name", "text")
    .addColumn("last_name", "text")
    .addColumn("external_id", "text")
    .addColumn("last_synced_at", "text")
    .addColumn("field_changed_at", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("contacts_workspace_name").on("contacts").columns(["workspace_id", "name", "id"]).execute();
  await db.schema.createIndex("contacts_workspace_customer").on("contacts").columns(["workspace_id", "customer_id"]).execute();
  await db.schema.createIndex("contacts_workspace_external").on("contacts").columns(["workspace_id", "external_id"]).unique().execute();

  for (const [table, column] of [
    ["contact_emails", "email"],
    ["contact_phones", "phone"],
  ] as const) {
    await db.schema
      .createTable(table)
      .addColumn("workspace_id", "text", (c) => c.notNull())
      .addColumn("contact_id", "text", (c) => c.notNull().references("contacts.id").onDelete("cascade"))
      .addColumn(column, "text", (c) => c.notNull())
      .addColumn("position", "integer", (c) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pk`, ["workspace_id", column])
      .execute();
    await db.schema.createIndex(`${table}_contact`).on(table).column("contact_id").execute();
  }

  await db.schema
    .createTable("contact_tags")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("contact_id", "text", (c) => c.notNull().references("contacts.id").onDelete("cascade"))
    .addColumn("tag", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("contact_tags_pk", ["contact_id", "tag"])
    .execute();
  await db.schema.createIndex("contact_tags_workspace_tag").on("contact_tags").columns(["workspace_id", "tag"]).execute();

  await db.schema
    .createTable("custom_fields")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id").onDelete("cascade"))
    .addColumn("entity", "text", (c) => c.notNull())
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("label", "text", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("options", "text", (c) => c.notNull())
    .addColumn("sync_provider", "text")
    .addColumn("sync_object", "text")
    .addColumn("sync_property", "text")
    .addColumn("sync_property_type", "text")
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("custom_fields_key", ["workspace_id", "entity", "key"])
    .execute();

  await db.schema
    .createTable("field_values")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("field_id", "text", (c) => c.notNull().references("custom_fields.id").onDelete("cascade"))
    .addColumn("entity_id", "text", (c) => c.notNull())
    .addColumn("text_value", "text")
    .addColumn("number_value", "double precision")
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("field_values_pk", ["field_id", "entity_id"])
    .execute();
  await db.schema.createIndex("field_values_entity").on("field_values").column("entity_id").execute();
  await db.schema.createIndex("field_values_number").on("field_values").columns(["field_id", "number_value", "entity_id"]).execute();
  await db.schema.createIndex("field_values_text").on("field_values").columns(["field_id", "text_value", "entity_id"]).execute();

  await db.schema
    .createTable("crm_connections")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id").onDelete("cascade"))
    .addColumn("provider", "text", (c) => c.notNull())
    .addColumn("auth_kind", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("credentials", "text", (c) => c.notNull())
    .addColumn("portal_id", "text")
    .addColumn("scopes", "text", (c) => c.notNull())
    .addColumn("access_expires_at", "text")
    .addColumn("status_reason", "text")
    .addColumn("connected_by", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("crm_connections_provider", ["workspace_id", "provider"])
    .execute();

  await db.schema
    .createTable("sync_settings")
    .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id").onDelete("cascade"))
    .addColumn("provider", "text", (c) => c.notNull())
    .addColumn("account_sync_enabled", "integer", (c) => c.notNull())
    .addColumn("account_sync_changed_at", "text")
    .addColumn("contact_sync", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("sync_settings_pk", ["workspace_id", "provider"])
    .execute();

  await db.schema
    .createTable("oauth_states")
    .addColumn("state_hash", "text", (c) => c.primaryKey())
    .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id").onDelete("cascade"))
    .addColumn("user_id", "text")
    .addColumn("redirect_after", "text")
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("sync_runs")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id").onDelete("cascade"))
    .addColumn("provider", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("trigger", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("triggered_by", "text")
    .addColumn("records_read", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("records_linked", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("records_updated", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("records_created", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("records_skipped", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("records_failed", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("crm_calls", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("crm_calls_by_endpoint", "text", (c) => c.notNull())
    .addColumn("checkpoint", "text")
    .addColumn("message", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("started_at", "text")
    .addColumn("finished_at", "text")
    .execute();
  await db.schema.createIndex("sync_runs_workspace_created").on("sync_runs").columns(["workspace_id", "created_at", "id"]).execute();

  await db.schema
    .createTable("sync_errors")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("run_id", "text", (c) => c.notNull().references("sync_runs.id").onDelete("cascade"))
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("code", "text", (c) => c.notNull())
    .addColumn("message", "text", (c) => c.notNull())
    .addColumn("record_type", "text")
    .addColumn("record_id", "text")
    .addColumn("crm_id", "text")
    .addColumn("details", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("sync_errors_run").on("sync_errors").columns(["run_id", "created_at"]).execute();

  await db.schema
    .createTable("jobs")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("queue", "text", (c) => c.notNull())
    .addColumn("workspace_id", "text")
    .addColumn("coalesce_key", "text")
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("run_at", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("max_attempts", "integer", (c) => c.notNull())
    .addColumn("locked_by", "text")
    .addColumn("locked_at", "text")
    .addColumn("last_error", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("jobs_due").on("jobs").columns(["status", "run_at"]).execute();
  await db.schema.createIndex("jobs_coalesce").on("jobs").columns(["coalesce_key", "status"]).execute();
}

export async function down(): Promise<void> {
  throw new Error("crmsync migrations are forward-only");
}
