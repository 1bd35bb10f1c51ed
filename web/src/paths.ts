// Every screen's URL, so links and the router agree.
export const paths = {
  login: "/login",
  customers: "/customers",
  customFields: "/customers/fields",
  customer: (id: string) => `/customers/${encodeURIComponent(id)}`,
  contacts: "/contacts",
  contact: (id: string) => `/contacts/${encodeURIComponent(id)}`,
  insights: "/insights",
  syncActivity: "/sync-activity",
  run: (id: string) => `/sync-activity/${encodeURIComponent(id)}`,
  integrations: "/integrations",
  integration: (provider: string) => `/integrations/${encodeURIComponent(provider)}`,
  notifications: "/notifications",
  security: "/settings/security",
  workspaceSettings: "/settings/workspace",
};
