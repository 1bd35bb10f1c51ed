import { lazy, type ComponentType } from "react";
import { createBrowserRouter, Navigate } from "react-router";
import { AppLayout } from "./layout/AppLayout.tsx";
import { NotFoundScreen } from "./layout/NotFoundScreen.tsx";
import { RequireSession } from "./layout/RequireSession.tsx";
import { paths } from "./paths.ts";

/**
 * A screen loaded on first visit: each screen (and what only it uses, like the charts of
 * Insights) is its own chunk, so the first page does not download every other one.
 */
function screen(load: () => Promise<ComponentType>) {
  const Screen = lazy(async () => ({ default: await load() }));
  return <Screen />;
}

const LoginScreen = screen(async () => (await import("./screens/login/LoginScreen.tsx")).LoginScreen);

export const router = createBrowserRouter([
  { path: paths.login, element: LoginScreen },
  {
    element: (
      <RequireSession>
        <AppLayout />
      </RequireSession>
    ),
    children: [
      { index: true, element: <Navigate to={paths.customers} replace /> },
      { path: "customers", element: screen(async () => (await import("./screens/customers/CustomersOverviewScreen.tsx")).CustomersOverviewScreen) },
      { path: "customers/fields", element: screen(async () => (await import("./screens/custom-fields/CustomFieldsScreen.tsx")).CustomFieldsScreen) },
      { path: "customers/:id", element: screen(async () => (await import("./screens/customer-detail/CustomerDetailScreen.tsx")).CustomerDetailScreen) },
      { path: "contacts", element: screen(async () => (await import("./screens/contacts/ContactsScreen.tsx")).ContactsScreen) },
      { path: "contacts/:id", element: screen(async () => (await import("./screens/contacts/ContactDetailScreen.tsx")).ContactDetailScreen) },
      { path: "insights", element: screen(async () => (await import("./screens/insights/InsightsScreen.tsx")).InsightsScreen) },
      { path: "sync-activity", element: screen(async () => (await import("./screens/sync-activity/SyncActivityScreen.tsx")).SyncActivityScreen) },
      { path: "sync-activity/:id", element: screen(async () => (await import("./screens/sync-activity/RunDetailScreen.tsx")).RunDetailScreen) },
      { path: "integrations", element: screen(async () => (await import("./screens/integrations/IntegrationsRedirect.tsx")).IntegrationsRedirect) },
      { path: "integrations/:provider", element: screen(async () => (await import("./screens/integrations/CrmIntegrationScreen.tsx")).CrmIntegrationScreen) },
      { path: "notifications", element: screen(async () => (await import("./screens/notifications/NotificationsScreen.tsx")).NotificationsScreen) },
      { path: "settings", element: <Navigate to={paths.security} replace /> },
      { path: "settings/security", element: screen(async () => (await import("./screens/security/SecurityScreen.tsx")).SecurityScreen) },
      { path: "settings/workspace", element: screen(async () => (await import("./screens/workspace-settings/WorkspaceSettingsScreen.tsx")).WorkspaceSettingsScreen) },
      { path: "*", element: <NotFoundScreen /> },
    ],
  },
]);
