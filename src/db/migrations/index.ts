// Migrations are listed here rather than read from disk, so they work the same under tsx,
// in tests and in a bundled build. Names sort by their timestamp prefix; never rename one.
import type { Migration } from "kysely";
import * as initial from "./20261123T0000_initial.ts";
import * as customerQuery from "./20261123T0100_customer_query.ts";
import * as contactsMergesAndSort from "./20261123T0200_contacts_merges_and_sort.ts";
import * as schedules from "./20261123T0300_schedules.ts";
import * as crmMirror from "./20261123T0400_crm_mirror.ts";
import * as notifications from "./20261123T0500_notifications.ts";
import * as contactSync from "./20261123T0600_contact_sync.ts";
import * as connectionDisconnectCause from "./20261123T0700_connection_disconnect_cause.ts";
import * as contactHandlesByContact from "./20261202T0000_contact_handles_by_contact.ts";
import * as crmMirrorWriteOrder from "./20261202T0100_crm_mirror_write_order.ts";
import * as oauthStateSession from "./20261203T1100_oauth_state_session.ts";
import * as runPause from "./20261203T1500_run_pause.ts";
import * as sessionActivity from "./20261203T1510_session_activity.ts";
import * as oauthStateEnvironment from "./20261204T0200_oauth_state_environment.ts";
import * as workspaceSettings from "./20261204T0500_workspace_settings.ts";

export const migrations: Record<string, Migration> = {
  "20261123T0000_initial": initial,
  "20261123T0100_customer_query": customerQuery,
  "20261123T0200_contacts_merges_and_sort": contactsMergesAndSort,
  "20261123T0300_schedules": schedules,
  "20261123T0400_crm_mirror": crmMirror,
  "20261123T0500_notifications": notifications,
  "20261123T0600_contact_sync": contactSync,
  "20261123T0700_connection_disconnect_cause": connectionDisconnectCause,
  "20261202T0000_contact_handles_by_contact": contactHandlesByContact,
  "20261202T0100_crm_mirror_write_order": crmMirrorWriteOrder,
  "20261203T1100_oauth_state_session": oauthStateSession,
  "20261203T1500_run_pause": runPause,
  "20261203T1510_session_activity": sessionActivity,
  "20261204T0200_oauth_state_environment": oauthStateEnvironment,
  "20261204T0500_workspace_settings": workspaceSettings,
};
