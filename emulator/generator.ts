import { Prng } from "./prng.ts";
import { StoredRecord, type Props } from "./records.ts";
import { DEAL_STAGES, INDUSTRIES, LIFECYCLE_STAGES, OWNER_IDS, defaultPropertyDefinitions, type PropertyDefinition } from "./properties.ts";
import type { ObjectType } from "./object-types.ts";

/**
 * Deterministic test data: the same seed and sizes always give the same records, ids and
 * timestamps (times are relative to a fixed anchor, not to the wall clock).
 */
export interface GeneratorSizes {
  companies: number;
  deals: number;
  contacts: number;
  /** Number of lists (contacts and companies); default 6 when there are records. */
  lists?: number;
}

export const SIZE_PRESETS = {
  tiny: { companies: 20, deals: 30, contacts: 60, lists: 3 },
  small: { companies: 500, deals: 800, contacts: 2_000 },
  medium: { companies: 10_000, deals: 15_000, contacts: 40_000 },
  /** The benchmark scale: paging 120k companies and 150k deals. */
  bench: { companies: 120_000, deals: 150_000, contacts: 300_000 },
  /** Memory and generation-time check: a million contacts. */
  million: { companies: 100_000, deals: 120_000, contacts: 1_000_000 },
} as const satisfies Record<string, GeneratorSizes>;

export type SizePreset = keyof typeof SIZE_PRESETS;

export const FIRST_IDS: Record<ObjectType, number> = {
  companies: 1_000_000_001,
  deals: 3_000_000_001,
  contacts: 5_000_000_001,
};

/** 2025-01-01T00:00:00Z: generated times lie in the five years before it. */
export const DEFAULT_ANCHOR = Date.UTC(2025, 0, 1);

export interface GeneratedEdges {
  from: ObjectType;
  to: ObjectType;
  fromIds: number[];
  toIds: number[];
  /** Also record the pair as primary (contact/deal -> company). */
  primary: boolean;
}

export interface GeneratedList {
  name: string;
  objectTypeId: string;
  processingType: "MANUAL" | "SNAPSHOT" | "DYNAMIC";
  members: number[];
}

export interface GeneratedData {
  seed: number;
  sizes: GeneratorSizes;
  anchor: number;
  companies: StoredRecord[];
  deals: StoredRecord[];
  contacts: StoredRecord[];
  edges: GeneratedEdges[];
  lists: GeneratedList[];
}

const PREFIXES = ["Bright", "North", "Blue", "Iron", "Silver", "Quantum", "Green", "Rapid", "Clear", "Bold", "Swift", "Cedar", "Summit", "Harbor", "Nova", "Pine", "Red", "Stone", "Apex", "Lunar", "Solar", "Urban", "Vertex", "Atlas", "Echo", "Maple", "Oak", "River", "Polar", "Zen"];
const CORES = ["wave", "field", "bridge", "point", "works", "path", "forge", "line", "stack", "gate", "loop", "scale", "cloud", "mark", "sight", "spring", "craft", "light", "port", "base"];
const KINDS = ["Labs", "Systems", "Group", "Software", "Logistics", "Health", "Partners", "Analytics", "Industries", "Media", "", "", ""];
const TLDS = [".com", ".com", ".com", ".io", ".co", ".net", ".de", ".co.uk", ".fr", ".app"];
const CITIES = [["Berlin", "Germany"], ["London", "United Kingdom"], ["Paris", "France"], ["New York", "United States"], ["Austin", "United States"], ["Toronto", "Canada"], ["Sydney", "Australia"], ["Madrid", "Spain"], ["Amsterdam", "Netherlands"], ["Tokyo", "Japan"]] as const;
const FIRST = ["Anna", "Ben", "Clara", "David", "Elena", "Felix", "Grace", "Hugo", "Ines", "Jonas", "Kira", "Liam", "Maya", "Noah", "Olivia", "Paul", "Quinn", "Rosa", "Sam", "Tara", "Umar", "Vera", "Will", "Xenia", "Yusuf", "Zoe", "José", "Zoë", "Søren", "Łukasz"];
const LAST = ["Adams", "Becker", "Chen", "Dubois", "Evans", "Fischer", "García", "Hansen", "Ito", "Jones", "Kowalski", "Lopez", "Müller", "Nguyen", "O'Brien", "Patel", "Rossi", "Schmidt", "Tanaka", "Weber", "Young", "Zimmermann", "Smith", "Brown", "Martin"];
const TITLES = ["CEO", "CTO", "Head of Support", "Support Agent", "Account Manager", "VP Sales", "Engineer", "Operations Lead", "Marketing Manager", "Founder"];
const FREEMAIL = ["gmail.com", "outlook.com", "yahoo.com", "proton.me", "gmx.de"];
const DEAL_KINDS = ["New business", "Renewal", "Expansion", "Upsell", "Pilot"];

const DAY = 86_400_000;
const YEAR = 365 * DAY;

function ascii(s: string): string {
  return s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/ł/g, "l")
    .replace(/Ł/g, "L")
    .replace(/ø/g, "o")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
}

function phone(p: Prng): string {
  const d = (n: number): string => {
    let s = "";
    for (let i = 0; i < n; i++) s += String(p.int(0, 9));
    return s;
  };
  switch (p.int(0, 4)) {
    case 0:
      return `+1 (${p.int(201, 989)}) ${d(3)}-${d(4)}`;
    case 1:
      return `+44 20 ${d(4)} ${d(4)}`;
    case 2:
      return `+49 151 ${d(8)}`;
    case 3:
      return `${p.int(201, 989)}-${d(3)}-${d(4)}`;
    default:
      return `+33 6 ${d(2)} ${d(2)} ${d(2)} ${d(2)}`;
  }
}

/** A plausible value for any custom property type (string form, as HubSpot stores it). */
function customValue(d: PropertyDefinition, p: Prng, createdAt: number): string {
  switch (d.fieldType) {
    case "select":
    case "radio":
      if (d.referencedObjectType === "OWNER") return p.pick(OWNER_IDS);
      return p.pick(d.options).value;
    case "checkbox": {
      const picked = d.options.filter(() => p.chance(0.4)).map((o) => o.value);
      return picked.length > 0 ? picked.join(";") : d.options[0]!.value;
    }
    case "booleancheckbox":
      return p.chance(0.3) ? "true" : "false";
    case "date":
      return d.type === "date"
        ? new Date(Math.floor((createdAt + p.int(0, 400) * DAY) / DAY) * DAY).toISOString().slice(0, 10)
        : new Date(createdAt + p.int(0, 400 * DAY)).toISOString();
    case "number":
      return d.type === "currency_number" ? String(p.int(1, 500) * 100) : String(p.int(0, 100));
    case "textarea":
      return p.pick(["Renewal discussed.", "Prefers email.\nTimezone CET.", "Key account; weekly call."]);
    case "text":
      if (d.type === "object_coordinates") return `${(p.next() * 180 - 90).toFixed(4)},${(p.next() * 360 - 180).toFixed(4)}`;
      return `IC-${p.int(100000, 999999)}`;
    case "phonenumber":
      return phone(p);
    case "html":
      return "<p>Long-standing <b>customer</b></p>";
    case "unknown":
      return JSON.stringify({ legacyId: p.int(1, 99999) });
    case "file":
      return `https://files.example.test/contracts/${p.int(1000, 9999)}.pdf`;
    default:
      if (d.fieldType.startsWith("calculation_")) return String(p.int(0, 1000));
      return "x";
  }
}

function customDefs(type: ObjectType): PropertyDefinition[] {
  return defaultPropertyDefinitions(type).filter((d) => !d.hubspotDefined);
}

function timesFor(p: Prng, notBefore: number, anchor: number): { createdAt: number; updatedAt: number } {
  const createdAt = notBefore + Math.floor(p.next() * Math.max(1, anchor - notBefore));
  const updatedAt = createdAt + Math.floor(p.next() * Math.max(1, anchor - createdAt));
  return { createdAt, updatedAt };
}

function pickOrder(p: Prng, n: number): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(p.next() * (i + 1));
    const tmp = a[i]!;
    a[i] = a[j]!;
    a[j] = tmp;
  }
  return a;
}

export function generate(seed: number, sizes: GeneratorSizes, anchor = DEFAULT_ANCHOR): GeneratedData {
  const p = new Prng(seed);
  const start = anchor - 5 * YEAR;
  const companyCustom = customDefs("companies");
  const dealCustom = customDefs("deals");
  const contactCustom = customDefs("contacts").filter((d) => ["customer_tier", "is_strategic", "health_score", "last_review_at", "account_manager"].includes(d.name));

  // Companies.
  const companies: StoredRecord[] = [];
  const companyDomain: string[] = [];
  const usedDomains = new Set<string>();
  for (let i = 0; i < sizes.companies; i++) {
    const name = `${p.pick(PREFIXES)}${p.pick(CORES)} ${p.pick(KINDS)}`.trim();
    const slug = ascii(name);
    const tld = p.pick(TLDS);
    let domain = `${slug}${tld}`;
    for (let n = 2; usedDomains.has(domain); n++) domain = `${slug}${n}${tld}`;
    const roll = p.next();
    let primary = "";
    if (roll < 0.05) primary = "";
    else if (roll < 0.08 && companies.length > 0) primary = companyDomain[p.int(0, companies.length - 1)] || domain;
    else primary = domain;
    if (primary === domain) usedDomains.add(domain);
    const [city, country] = p.pick(CITIES);
    const { createdAt, updatedAt } = timesFor(p, start, anchor);
    const props: Props = { name };
    if (primary) {
      props.domain = primary;
      props.website = `https://www.${primary}`;
    }
    if (primary && p.chance(0.2)) {
      const extras = [`${slug}.io`, `${slug}-group.com`];
      if (p.chance(0.1) && companies.length > 0) {
        const other = companyDomain[p.int(0, companies.length - 1)];
        if (other) extras.push(other);
      }
      props.hs_additional_domains = extras.slice(p.int(0, 1)).join(";");
    }
    props.industry = p.pick(INDUSTRIES);
    props.annualrevenue = String(p.int(1, 5000) * 10_000);
    props.numberofemployees = String(p.int(1, 5000));
    props.city = city;
    props.country = country;
    props.phone = phone(p);
    props.lifecyclestage = p.pick(LIFECYCLE_STAGES);
    if (p.chance(0.8)) props.hubspot_owner_id = p.pick(OWNER_IDS);
    for (const d of companyCustom) if (p.chance(0.6)) props[d.name] = customValue(d, p, createdAt);
    if (props.internal_code) props.internal_code = `C-${FIRST_IDS.companies + i}`;
    companies.push(new StoredRecord(FIRST_IDS.companies + i, props, createdAt, updatedAt, "IMPORT"));
    companyDomain.push(primary);
  }

  // Contacts: most at a company, email at its domain.
  const contacts: StoredRecord[] = [];
  const contactCompany: number[] = [];
  const contactIds: number[] = [];
  const companyFirstContact = new Map<number, number>();
  const usedEmails = new Set<string>();
  const contactCompanyIndex: number[] = [];
  for (let i = 0; i < sizes.contacts; i++) {
    const id = FIRST_IDS.contacts + i;
    const props: Props = {};
    let companyIndex = -1;
    const prev = contacts.length > 0 && p.chance(0.02) ? contacts[p.int(Math.max(0, contacts.length - 50), contacts.length - 1)] : undefined;
    if (prev) {
      // A duplicate person: same name and company, a different (HubSpot-unique) email.
      props.firstname = prev.props.firstname ?? "";
      props.lastname = prev.props.lastname ?? "";
      companyIndex = contactCompanyIndex[prev.id - FIRST_IDS.contacts] ?? -1;
    } else {
      props.firstname = p.pick(FIRST);
      props.lastname = p.pick(LAST);
      if (sizes.companies > 0 && p.chance(0.85)) companyIndex = p.int(0, sizes.companies - 1);
    }
    contactCompanyIndex.push(companyIndex);
    const company = companyIndex >= 0 ? companies[companyIndex] : undefined;
    const noHandle = p.chance(0.03);
    if (!noHandle) {
      const domain = company?.props.domain ?? p.pick(FREEMAIL);
      const first = ascii(props.firstname);
      const last = ascii(props.lastname);
      const local = prev ? `${first.slice(0, 1)}${last}` : p.chance(0.7) ? `${first}.${last}` : `${first}${p.int(1, 99)}`;
      let email = `${local}@${domain}`;
      for (let n = 2; usedEmails.has(email); n++) email = `${local}${n}@${domain}`;
      usedEmails.add(email);
      props.email = email;
      if (prev?.props.phone) props.phone = prev.props.phone;
      else if (p.chance(0.6)) props.phone = phone(p);
    }
    if (company) props.company = company.props.name ?? "";
    props.jobtitle = p.pick(TITLES);
    props.lifecyclestage = p.pick(LIFECYCLE_STAGES);
    const { createdAt, updatedAt } = timesFor(p, company ? company.createdAt : start, anchor);
    if (p.chance(0.3)) for (const d of contactCustom) if (p.chance(0.5)) props[d.name] = customValue(d, p, createdAt);
    contacts.push(new StoredRecord(id, props, createdAt, updatedAt, "IMPORT"));
    if (company) {
      contactIds.push(id);
      contactCompany.push(company.id);
      if (!companyFirstContact.has(company.id)) companyFirstContact.set(company.id, id);
    }
  }

  // Deals: several per company for most companies, createdates spread after the company's.
  const deals: StoredRecord[] = [];
  const dealIds: number[] = [];
  const dealCompany: number[] = [];
  const dealContactFrom: number[] = [];
  const dealContactTo: number[] = [];
  const withDeals = companies.filter(() => p.chance(0.85));
  for (let i = 0; i < sizes.deals; i++) {
    const id = FIRST_IDS.deals + i;
    const company = withDeals.length > 0 && p.chance(0.97) ? withDeals[p.int(0, withDeals.length - 1)] : undefined;
    const { createdAt, updatedAt } = timesFor(p, company ? company.createdAt : start, anchor);
    const stage = p.pick(DEAL_STAGES);
    const props: Props = {
      dealname: `${company?.props.name ?? "Unassigned"} - ${p.pick(DEAL_KINDS)} ${new Date(createdAt).getUTCFullYear()}`,
      amount: String(p.int(5, 2000) * 100),
      dealstage: stage,
      pipeline: "default",
      closedate: new Date(createdAt + p.int(30, 120) * DAY).toISOString(),
      dealtype: p.chance(0.6) ? "newbusiness" : "existingbusiness",
    };
    if (p.chance(0.8)) props.hubspot_owner_id = p.pick(OWNER_IDS);
    for (const d of dealCustom) if (p.chance(0.5)) props[d.name] = customValue(d, p, createdAt);
    if (props.internal_code) props.internal_code = `D-${id}`;
    deals.push(new StoredRecord(id, props, createdAt, updatedAt, "IMPORT"));
    if (company) {
      dealIds.push(id);
      dealCompany.push(company.id);
      const contact = companyFirstContact.get(company.id);
      if (contact !== undefined && p.chance(0.7)) {
        dealContactFrom.push(id);
        dealContactTo.push(contact);
      }
    }
  }

  const edges: GeneratedEdges[] = [
    { from: "contacts", to: "companies", fromIds: contactIds, toIds: contactCompany, primary: true },
    { from: "deals", to: "companies", fromIds: dealIds, toIds: dealCompany, primary: true },
    { from: "deals", to: "contacts", fromIds: dealContactFrom, toIds: dealContactTo, primary: false },
  ];

  // Lists: mostly contact lists, some company lists, varied sizes.
  const listCount = sizes.lists ?? (sizes.contacts + sizes.companies > 0 ? 6 : 0);
  const lists: GeneratedList[] = [];
  const listNames = ["Newsletter", "Trial users", "Churn risk", "VIP", "Event attendees", "Beta testers", "Key accounts", "Renewals due"];
  for (let l = 0; l < listCount; l++) {
    const ofCompanies = l % 3 === 2;
    const pool = ofCompanies ? companies : contacts;
    if (pool.length === 0) continue;
    const target = Math.max(Math.min(pool.length, 5), Math.min(20_000, Math.floor(pool.length * (0.02 + 0.08 * p.next()))));
    const members: number[] = [];
    const order = pool.length <= 50_000 ? pickOrder(p, pool.length).slice(0, target).sort((a, b) => a - b) : undefined;
    if (order) for (const idx of order) members.push(pool[idx]!.id);
    else {
      const rate = target / pool.length;
      for (const r of pool) if (p.chance(rate)) members.push(r.id);
    }
    lists.push({
      name: `${listNames[l % listNames.length]}${l >= listNames.length ? ` ${l}` : ""}`,
      objectTypeId: ofCompanies ? "0-2" : "0-1",
      processingType: l % 2 === 0 ? "MANUAL" : "SNAPSHOT",
      members,
    });
  }

  return { seed, sizes, anchor, companies, deals, contacts, edges, lists };
}
