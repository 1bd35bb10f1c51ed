import { Prng } from "../prng.ts";
import type { RecordValues } from "./fields.ts";
import { STAGES } from "./schema.ts";
import type { SalesforceStore } from "./store.ts";

/**
 * Deterministic org data for a seed. Times are relative to a fixed anchor, not the wall clock,
 * so the same seed always gives the same records, ids and dates.
 */
export interface GeneratorSizes {
  accounts: number;
  opportunities: number;
  contacts: number;
}

export const DEFAULT_ANCHOR = Date.UTC(2025, 0, 1);
const DAY = 24 * 60 * 60 * 1000;

const WORDS_A = ["Acme", "Blue", "Bright", "Cedar", "Delta", "Echo", "Falcon", "Granite", "Harbor", "Iron", "Juniper", "Kite", "Lumen", "Maple", "Nimbus", "Orbit", "Pioneer", "Quartz", "River", "Summit", "Tidal", "Unity", "Vertex", "Willow", "Zenith"];
const WORDS_B = ["Labs", "Systems", "Analytics", "Health", "Logistics", "Foods", "Energy", "Robotics", "Capital", "Media", "Works", "Cloud", "Bio", "Retail", "Partners"];
const SUFFIXES = ["Inc.", "LLC", "GmbH", "Ltd", "", "", "Corp."];
const TLDS = ["com", "com", "com", "io", "co", "de", "co.uk", "net"];
const FIRST = ["Ana", "Ben", "Chloe", "David", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kara", "Liam", "Mia", "Noah", "Olga", "Pedro", "Quinn", "Rosa", "Sam", "Tara", "Umar", "Vera", "Will", "Yara", "Zoe"];
const LAST = ["Adams", "Brown", "Costa", "Dubois", "Evans", "Fischer", "Garcia", "Hansen", "Ito", "Jensen", "Khan", "Lopez", "Meyer", "Nowak", "Okafor", "Patel", "Rossi", "Silva", "Tanaka", "Novak", "Weber", "Young"];
const CITIES: Array<[string, string, string]> = [["Berlin", "BE", "Germany"], ["London", "", "United Kingdom"], ["Austin", "TX", "United States"], ["Toronto", "ON", "Canada"], ["Lyon", "", "France"], ["Sydney", "NSW", "Australia"]];
const FREE_MAIL = ["gmail.com", "yahoo.com", "outlook.com", "proton.me"];
const INDUSTRIES = ["Technology", "Finance", "Healthcare", "Retail", "Manufacturing", "Education", "Media", "Energy"];
const GARBAGE_WEBSITES = ["n/a", "see notes", "http://", "www", "none", "tbd", "-"];

/** The messy forms people type into Account.Website. */
function website(rng: Prng, domain: string): string | null {
  const r = rng.next();
  if (r < 0.18) return `https://www.${domain}/${rng.pick(["about", "en/home", "products?ref=crm", "contact-us"])}`;
  if (r < 0.36) return domain;
  if (r < 0.46) return `HTTP://${domain.toUpperCase()}`;
  if (r < 0.6) return `www.${domain}`;
  if (r < 0.75) return `https://${domain}`;
  if (r < 0.8) return `http://www.${domain}/`;
  if (r < 0.83) return `https://${domain}:443/?utm_source=crm`;
  if (r < 0.85) return ` ${domain} `;
  if (r < 0.93) return null;
  return rng.pick(GARBAGE_WEBSITES);
}

export function generate(store: SalesforceStore, seed: number, sizes: GeneratorSizes): void {
  const rng = new Prng(seed);
  const accounts: Array<{ id: string; created: number; domain: string | null }> = [];
  const usedDomains: string[] = [];

  for (let i = 0; i < sizes.accounts; i++) {
    const base = `${rng.pick(WORDS_A)} ${rng.pick(WORDS_B)}`;
    const name = `${base}${i >= WORDS_A.length * WORDS_B.length ? ` ${i}` : ""} ${rng.pick(SUFFIXES)}`.trim();
    const slug = base.toLowerCase().replace(/[^a-z0-9]+/g, "") + (i >= WORDS_A.length * WORDS_B.length ? String(i) : "");
    // A few accounts share a domain with an earlier one (subsidiaries, duplicates).
    const domain = usedDomains.length > 0 && rng.chance(0.03) ? rng.pick(usedDomains) : `${slug}.${rng.pick(TLDS)}`;
    usedDomains.push(domain);
    const created = DEFAULT_ANCHOR - rng.int(30, 900) * DAY + rng.int(0, DAY - 1);
    const modified = created + rng.int(0, 25) * DAY;
    const [city, state, country] = rng.pick(CITIES);
    const employees = rng.chance(0.85) ? rng.int(2, 20000) : null;
    const values: RecordValues = {
      Name: name,
      Website: website(rng, domain),
      Industry: rng.chance(0.8) ? rng.pick(INDUSTRIES) : null,
      Type: rng.pick(["Prospect", "Customer - Direct", "Customer - Channel", "Other"]),
      Phone: rng.chance(0.7) ? `+1 ${rng.int(200, 999)}-${rng.int(200, 999)}-${rng.int(1000, 9999)}` : null,
      BillingStreet: `${rng.int(1, 300)} ${rng.pick(LAST)} Street`,
      BillingCity: city,
      BillingState: state || null,
      BillingPostalCode: String(rng.int(10000, 99999)),
      BillingCountry: country,
      AnnualRevenue: rng.chance(0.7) ? rng.int(1, 5000) * 10000 : null,
      NumberOfEmployees: employees,
      Segments__c: rng.chance(0.6) ? [...new Set([rng.pick(["SMB", "Mid-Market", "Enterprise"]), rng.pick(["Startup", "Public Sector", "SMB"])])].join(";") : null,
      Customer_Since__c: rng.chance(0.4) ? new Date(created + rng.int(0, 200) * DAY).toISOString().slice(0, 10) : null,
      Health_Score__c: rng.chance(0.5) ? rng.int(0, 10000) / 100 : null,
      Is_Strategic__c: rng.chance(0.1),
      Api_Calls_Total__c: rng.chance(0.3) ? rng.int(0, 2 ** 31) * 4 : null,
      Headquarters__Latitude__s: rng.chance(0.3) ? rng.int(-9000, 9000) / 100 : null,
      Headquarters__Longitude__s: null,
    };
    if (values.Headquarters__Latitude__s !== null) values.Headquarters__Longitude__s = rng.int(-18000, 18000) / 100;
    const rec = store.create("Account", values, { createdDate: created, lastModifiedDate: modified }, false);
    accounts.push({ id: rec.id, created, domain: typeof values.Website === "string" && values.Website.includes(".") ? domain : null });
  }

  // Opportunities: most accounts have some, a few have none, a few opportunities have no account.
  const withOpps = accounts.filter(() => rng.chance(0.88));
  let previous: { account: (typeof accounts)[number]; created: number } | undefined;
  for (let i = 0; i < sizes.opportunities; i++) {
    let account = withOpps.length > 0 && !rng.chance(0.03) ? rng.pick(withOpps) : undefined;
    let created = (account?.created ?? DEFAULT_ANCHOR - 400 * DAY) + rng.int(1, 500) * DAY + rng.int(0, DAY - 1);
    // Ties on CreatedDate within one account happen (imports); the latest deal then goes by Id.
    if (previous && rng.chance(0.02)) {
      account = previous.account;
      created = previous.created;
    }
    previous = account ? { account, created } : undefined;
    const stage = rng.pick(STAGES);
    const values: RecordValues = {
      AccountId: account?.id ?? null,
      Name: `${rng.pick(["New business", "Renewal", "Upsell", "Expansion", "Pilot"])} ${i + 1}`,
      StageName: stage,
      Amount: rng.chance(0.9) ? rng.int(5, 2000) * 100 : null,
      Probability: rng.int(0, 10) * 10,
      CloseDate: new Date(created + rng.int(10, 180) * DAY).toISOString().slice(0, 10),
      Type: rng.pick(["New Customer", "Existing Customer - Upgrade", "Existing Customer - Replacement"]),
      LeadSource: rng.chance(0.6) ? rng.pick(["Web", "Phone Inquiry", "Partner Referral"]) : null,
      Competitors__c: rng.chance(0.3) ? rng.pick(["Acme", "Globex;Initech", "Hooli"]) : null,
      Discount__c: rng.chance(0.3) ? rng.int(0, 3000) / 100 : null,
    };
    store.create("Opportunity", values, { createdDate: created, lastModifiedDate: created + rng.int(0, 40) * DAY }, false);
  }

  const emails = new Set<string>();
  for (let i = 0; i < sizes.contacts; i++) {
    const account = accounts.length > 0 && rng.chance(0.85) ? rng.pick(accounts) : undefined;
    const first = rng.pick(FIRST);
    const last = rng.pick(LAST);
    let email: string | null = null;
    if (!rng.chance(0.05)) {
      const domain = account?.domain ?? rng.pick(FREE_MAIL);
      let local = `${first}.${last}`.toLowerCase();
      if (emails.has(`${local}@${domain}`)) local = `${local}${i}`;
      email = `${local}@${domain}`;
      emails.add(email);
    }
    const created = (account?.created ?? DEFAULT_ANCHOR - 300 * DAY) + rng.int(0, 400) * DAY + rng.int(0, DAY - 1);
    const values: RecordValues = {
      AccountId: account?.id ?? null,
      FirstName: rng.chance(0.97) ? first : null,
      LastName: last,
      Email: email,
      Phone: rng.chance(0.6) ? `+1 (${rng.int(200, 999)}) ${rng.int(200, 999)}-${rng.int(1000, 9999)}` : null,
      Title: rng.chance(0.7) ? rng.pick(["CEO", "CTO", "VP Sales", "Engineer", "Head of Ops", "Analyst"]) : null,
      LeadSource: rng.chance(0.5) ? rng.pick(["Web", "Phone Inquiry", "Other"]) : null,
      Lifecycle_Stage__c: rng.pick(["Lead", "MQL", "SQL", "Customer"]),
      HasOptedOutOfEmail: rng.chance(0.05),
    };
    store.create("Contact", values, { createdDate: created, lastModifiedDate: created + rng.int(0, 60) * DAY }, false);
  }
}
