// The words and colours that differ between CRMs, in one table by provider id. Everything else
// on the screens says the CRM's display name from the server; a CRM missing here gets the
// neutral words, so a new connector works before anyone writes its entry.

export interface TokenKindHelp {
  /** The kind in a sentence ("connected with a service key"). */
  name: string;
  /** The choice's name next to the other kinds. */
  choice: string;
  /** The input's label. */
  label: string;
  /** Where the CRM makes such a key, and the access it needs. */
  description: string;
  placeholder: string;
}

/** A CRM record type's name, one and many. */
export interface RecordNoun {
  one: string;
  many: string;
}

export interface CrmWording {
  /** The colour of the CRM's mark and of what comes from it. */
  color: string;
  /** What the CRM calls the account crmsync connects to (HubSpot: portal). */
  account: string;
  /** What the CRM calls the records crmsync's companies and deals are (Salesforce: accounts and opportunities). */
  company: RecordNoun;
  deal: RecordNoun;
  /** The CRM's named set of contacts that contact sync can follow (HubSpot: list). */
  contactList: string;
  /** What such a list is, under the choice of contact source. */
  contactListHint: string;
  /** Whether the CRM's contacts have a lifecycle stage (HubSpot's), which contact sync can filter on and tag. */
  lifecycleStages: boolean;
  /** Where to sign in, for a CRM whose OAuth start takes a choice (Salesforce); the first is the default. */
  oauthEnvironments: { value: string; label: string }[];
  /** Help per kind of pasted key or token (the connection's tokenKinds). */
  tokenKinds: Record<string, TokenKindHelp>;
}

const companies: RecordNoun = { one: "company", many: "companies" };
const deals: RecordNoun = { one: "deal", many: "deals" };

const neutral: CrmWording = {
  color: "#228be6",
  account: "account",
  company: companies,
  deal: deals,
  contactList: "list",
  contactListHint: "A contact list of your account.",
  lifecycleStages: true,
  oauthEnvironments: [],
  tokenKinds: {},
};

const hubspotScopes = "Grant the read scopes for companies, deals, contacts, schemas and lists; add contacts write only for two-way contact sync.";

const wordings: Record<string, CrmWording> = {
  hubspot: {
    color: "#ff7a59",
    account: "portal",
    company: companies,
    deal: deals,
    contactList: "list",
    contactListHint: "A contact list of your portal (static or active).",
    lifecycleStages: true,
    oauthEnvironments: [],
    tokenKinds: {
      service_key: {
        name: "service key",
        choice: "Service key",
        label: "Service key",
        description: `Create one in HubSpot under Development › Keys › Service keys (some HubSpot pages say Settings › Integrations › Service Keys). ${hubspotScopes}`,
        placeholder: "Paste the service key",
      },
      private_app: {
        name: "private-app token",
        choice: "Legacy private-app token",
        label: "Private-app access token",
        description: "An existing legacy private app's token (HubSpot no longer creates new ones); it needs the same scopes as a service key.",
        placeholder: "pat-…",
      },
    },
  },
  salesforce: {
    color: "#00a1e0",
    account: "org",
    company: { one: "account", many: "accounts" },
    deal: { one: "opportunity", many: "opportunities" },
    contactList: "list view",
    contactListHint: "A list view of your org's contacts; crmsync reads the contacts it shows.",
    lifecycleStages: false,
    oauthEnvironments: [
      { value: "production", label: "Production" },
      { value: "sandbox", label: "Sandbox" },
    ],
    tokenKinds: {},
  },
};

/** "company" → "Company", for a noun that starts a label. */
export const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export function crmWording(provider: string): CrmWording {
  return wordings[provider] ?? neutral;
}

/** A token kind's help, with plain words for a kind the table does not describe. */
export function tokenKindHelp(wording: CrmWording, kind: string): TokenKindHelp {
  const known = wording.tokenKinds[kind];
  if (known) return known;
  const words = kind.replaceAll("_", " ");
  const label = words.charAt(0).toUpperCase() + words.slice(1);
  return { name: words, choice: label, label, description: "", placeholder: `Paste the ${words}` };
}
