// Every route group, in one list so the app and the OpenAPI document see the same set.
import { contactSyncRoutes } from "./contact-sync.ts";
import { contactRoutes } from "./contacts.ts";
import { credentialRoutes } from "./credentials.ts";
import { customFieldRoutes } from "./custom-fields.ts";
import { customerLinkRoutes } from "./customer-links.ts";
import { customerRoutes } from "./customers.ts";
import { healthRoutes } from "./health.ts";
import { crmRoutes } from "./crm.ts";
import { insightRoutes } from "./insights.ts";
import { notificationRoutes } from "./notifications.ts";
import type { RouteModule } from "./route.ts";
import { sessionRoutes } from "./session.ts";
import { syncRunRoutes } from "./sync-runs.ts";
import { workspaceSettingsRoutes } from "./workspace-settings.ts";

export const routeModules: RouteModule[] = [healthRoutes, sessionRoutes, syncRunRoutes, contactRoutes, customerRoutes, customFieldRoutes, insightRoutes, crmRoutes, customerLinkRoutes, notificationRoutes, contactSyncRoutes, credentialRoutes, workspaceSettingsRoutes];
