import { createBrowserRouter, Navigate } from "react-router";
import { AppLayout } from "./layout/AppLayout.tsx";
import { RequireSession } from "./layout/RequireSession.tsx";
import { NotFoundScreen } from "./layout/NotFoundScreen.tsx";
import { ContactDetailScreen } from "./screens/contacts/ContactDetailScreen.tsx";
import { ContactsScreen } from "./screens/contacts/ContactsScreen.tsx";
import { CustomFieldsScreen } from "./screens/custom-fields/CustomFieldsScreen.tsx";
import { CustomerDetailScreen } from "./screens/customer-detail/CustomerDetailScreen.tsx";
import { CustomersOverviewScreen } from "./screens/customers/CustomersOverviewScreen.tsx";
import { InsightsScreen } from "./screens/insights/InsightsScreen.tsx";
import { HubSpotIntegrationScreen } from "./screens/integrations/HubSpotIntegrationScreen.tsx";
import { LoginScreen } from "./screens/login/LoginScreen.tsx";
import { NotificationsScreen } from "./screens/notifications/NotificationsScreen.tsx";
import { RunDetailScreen } from "./screens/sync-activity/RunDetailScreen.tsx";
import { SyncActivityScreen } from "./screens/sync-activity/SyncActivityScreen.tsx";
import { paths } from "./paths.ts";


export const router = createBrowserRouter([
  { path: paths.login, element: <LoginScreen /> },
  {
    element: (
      <RequireSession>
        <AppLayout />
      </RequireSession>
    ),
    children: [
      { index: true, element: <Navigate to={paths.customers} replace /> },
      { path: "customers", element: <CustomersOverviewScreen /> },
      { path: "customers/fields", element: <CustomFieldsScreen /> },
      { path: "customers/:id", element: <CustomerDetailScreen /> },
      { path: "contacts", element: <ContactsScreen /> },
      { path: "contacts/:id", element: <ContactDetailScreen /> },
      { path: "insights", element: <InsightsScreen /> },
      { path: "sync-activity", element: <SyncActivityScreen /> },
      { path: "sync-activity/:id", element: <RunDetailScreen /> },
      { path: "integrations", element: <Navigate to={paths.hubspot} replace /> },
      { path: "integrations/hubspot", element: <HubSpotIntegrationScreen /> },
      { path: "notifications", element: <NotificationsScreen /> },
      { path: "*", element: <NotFoundScreen /> },
    ],
  },
]);
