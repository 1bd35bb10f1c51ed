// What a CRM connector is, in the engine's terms (decision 0011). Connectors implement this;
// the edge (server context, CLI runtime) binds each to its settings in a ProviderRegistry and
// hands that inward, so the engine never imports a connector nor names a CRM property.
import type { FieldOption, FieldType } from "../core/fields.ts";
import type { SyncedField } from "../core/conflicts.ts";
import type { AccountSource, ContactSource, ContactWriter } from "./ports.ts";

export type AuthMethod = "oauth" | "token";

export interface ConnectorCapabilities {
  accountSync: boolean;
  contactSync: { inbound: boolean; twoWay: boolean };
  contactSources: ReadonlyArray<"synced_companies" | "list">;
  /** Field values carry their own change times, for per-field conflict rules. */
  propertyHistory: boolean;
  /** The CRM merges records and says which ids were merged away. */
  merges: boolean;
  /** Incremental reads by last-modified time. */
  modifiedSince: boolean;
  webhooks: boolean;
}

/** What connecting produced: the connector's own credentials (opaque here) and the account. */
export interface Grant {
  /** The connector's word for how it connected (oauth, private_app...). */
  authKind: string;
  /** JSON the connector alone reads back; sealed before it is stored. */
  credentials: Record<string, unknown>;
  /** The CRM account (portal, org) the grant is for; keys its shared budget. */
  accountId: string;
  scopes: string[];
  accessExpiresAt: string | null;
}

export interface StoredGrant {
  authKind: string;
  credentials: Record<string, unknown>;
  accountId: string | null;
}

export interface OpenHooks {
  /** The connector refreshed its credentials: they replace the stored ones. */
  onCredentials(credentials: Record<string, unknown>, accessExpiresAt: string | null): Promise<void>;
}

export type CatalogObject = "company" | "deal";

/** A CRM property as field import offers it, already mapped onto crmsync's field types (§3.3). */
export interface CatalogProperty {
  name: string;
  label: string;
  /** The CRM's own type, as people who know the CRM read it (HubSpot: `enumeration/checkbox`). */
  crmType: string;
  fieldType: string;
  groupName: string | null;
  /** The CRM hides it from people (internal bookkeeping): not offered for import. */
  hidden: boolean;
  mapping: { supported: true; type: FieldType; options: FieldOption[] } | { supported: false; reason: string };
}

export interface PropertyCatalog {
  /** Every company or deal property of the account. */
  list(object: CatalogObject): Promise<CatalogProperty[]>;
  /** One property; null when it no longer exists. */
  get(object: CatalogObject, name: string): Promise<CatalogProperty | null>;
}

export type RecordObject = "company" | "deal" | "contact";

export interface OAuthStartOptions {
  state: string;
  redirectUri: string;
  /** One of the connector's `oauth.environments`, when it has them. */
  environment?: string | undefined;
}

export interface OAuthExchangeOptions {
  code: string;
  redirectUri: string;
  /** The environment chosen when the flow started. */
  environment?: string | undefined;
}

/**
 * One value per CRM. `S` is its deployment settings (from src/config.ts), `C` its opened client;
 * sources, writer and catalog are views of that client.
 */
export interface Connector<S, C> {
  id: string;
  displayName: string;
  capabilities: ConnectorCapabilities;
  auth: {
    methods: readonly AuthMethod[];
    /** The kinds of key/token an admin can paste in (HubSpot: service_key, private_app), the usual one first. */
    tokenKinds: readonly string[];
    /** Checks a key/token with one cheap call; ConnectorError credentials_refused when refused. */
    connectWithToken(settings: S, kind: string, token: string): Promise<Grant>;
    oauth: {
      /**
       * Where an admin may connect (Salesforce: production, sandbox), the default first; the
       * choice made at start comes back with the code. Absent: one place only.
       */
      environments?: readonly string[];
      /** Why OAuth cannot be used with these settings (no client id), or null. */
      unavailable(settings: S): string | null;
      authorizeUrl(settings: S, o: OAuthStartOptions): string;
      exchange(settings: S, o: OAuthExchangeOptions): Promise<Grant>;
      /** Best effort: a grant the CRM already dropped cannot be revoked. */
      revoke(settings: S, grant: StoredGrant): Promise<void>;
    } | null;
    /** Scopes two-way contact sync needs of an OAuth grant. */
    twoWayScopes: readonly string[];
  };
  contactModel: {
    /** Which CRM property each synced contact field maps to unless an admin changes it. */
    defaultMapping: Record<SyncedField, string>;
    /** The lifecycle stages inbound sync imports unless an admin changes them; none when the CRM's contacts have no stage (all are imported). */
    defaultLifecycleStages: readonly string[];
  };
  open(settings: S, grant: StoredGrant, hooks: OpenHooks): C;
  catalog(client: C): PropertyCatalog;
  accountSource(client: C): AccountSource;
  contactSource(client: C): ContactSource;
  writer(client: C): ContactWriter;
  /** Calls spent since the previous take, by endpoint. */
  takeCalls(client: C): () => Record<string, number>;
  budget: {
    /** The account disconnected: its share of the CRM's limit is no longer held for it. */
    release(settings: S, grant: StoredGrant): void;
  };
  /** The record's page in the CRM ("Open in HubSpot"); null when the account is unknown. */
  recordUrl(accountId: string | null, object: RecordObject, id: string): string | null;
}

/** A connection opened for one workspace: the engine's views of the CRM and the calls they spend. */
export interface OpenedCrm {
  accountSource: AccountSource;
  contactSource: ContactSource & ContactWriter;
  catalog: PropertyCatalog;
  takeCalls(): Record<string, number>;
}

/** A connector bound to its settings: what the engine and the routes use. */
export interface CrmProvider {
  id: string;
  displayName: string;
  capabilities: ConnectorCapabilities;
  authMethods: readonly AuthMethod[];
  tokenKinds: readonly string[];
  twoWayScopes: readonly string[];
  defaultContactMapping: Record<SyncedField, string>;
  defaultLifecycleStages: readonly string[];
  connectWithToken(kind: string, token: string): Promise<Grant>;
  oauth: {
    /** Where an admin may connect, the default first; empty when there is no choice. */
    environments: readonly string[];
    unavailable(): string | null;
    authorizeUrl(o: OAuthStartOptions): string;
    exchange(o: OAuthExchangeOptions): Promise<Grant>;
    revoke(grant: StoredGrant): Promise<void>;
  } | null;
  open(grant: StoredGrant, hooks: OpenHooks): OpenedCrm;
  releaseBudget(grant: StoredGrant): void;
  recordUrl(accountId: string | null, object: RecordObject, id: string): string | null;
}

/** Which CRM, for code that only needs its id and the name people know it by. */
export type CrmName = Pick<CrmProvider, "id" | "displayName">;

export interface ProviderRegistry {
  get(id: string): CrmProvider | undefined;
  list(): CrmProvider[];
}

/** Binds a connector to its settings; the client type stays inside. */
export function bindConnector<S, C>(connector: Connector<S, C>, settings: S): CrmProvider {
  const oauth = connector.auth.oauth;
  return {
    id: connector.id,
    displayName: connector.displayName,
    capabilities: connector.capabilities,
    authMethods: connector.auth.methods,
    tokenKinds: connector.auth.tokenKinds,
    twoWayScopes: connector.auth.twoWayScopes,
    defaultContactMapping: connector.contactModel.defaultMapping,
    defaultLifecycleStages: connector.contactModel.defaultLifecycleStages,
    connectWithToken: (kind, token) => connector.auth.connectWithToken(settings, kind, token),
    oauth: oauth
      ? {
          environments: oauth.environments ?? [],
          unavailable: () => oauth.unavailable(settings),
          authorizeUrl: (o) => oauth.authorizeUrl(settings, o),
          exchange: (o) => oauth.exchange(settings, o),
          revoke: (grant) => oauth.revoke(settings, grant),
        }
      : null,
    open(grant, hooks) {
      const client = connector.open(settings, grant, hooks);
      const contacts = connector.contactSource(client);
      const writer = connector.writer(client);
      return {
        accountSource: connector.accountSource(client),
        contactSource: { ...contacts, createContacts: writer.createContacts, updateContacts: writer.updateContacts },
        catalog: connector.catalog(client),
        takeCalls: connector.takeCalls(client),
      };
    },
    releaseBudget: (grant) => connector.budget.release(settings, grant),
    recordUrl: (accountId, object, id) => connector.recordUrl(accountId, object, id),
  };
}

/** A registry over bound connectors, keyed by provider id. */
export function providerRegistry(providers: readonly CrmProvider[]): ProviderRegistry {
  const byId = new Map(providers.map((p) => [p.id, p]));
  return { get: (id) => byId.get(id), list: () => [...byId.values()] };
}
