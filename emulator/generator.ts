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

const asciiCache = new Map<string, string>();

/** Lower-case ASCII slug of a name; names repeat a lot, so results are cached. */
function ascii(s: string): string {
  let out = asciiCache.get(s);
  if (out === undefined) {
    out = s
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/ł/g, "l")
      .replace(/Ł/g, "L")
      .replace(/ø/g, "o")
      .toLowerCase()
      .replace(/[^a-z0-9]/g, "");
    if (asciiCache.size < 100_000) asciiCache.set(s, out);
  }
  return out;
}

function phone(p: Prng): string {
  switch (p.int(0, 4)) {
    case 0:
      return `+1 (${p.int(201, 989)}) ${p.int(200, 999)}-${p.int(1000, 9999)}`;
    case 1:
      return `+44 20 ${p.int(1000, 9999)} ${p.int(1000, 9999)}`;
    case 2:
      return `+49 151 ${p.int(10_000_000, 99_999_999)}`;
    case 3:
      return `${p.int(201, 989)}-${p.int(200, 999)}-${p.int(1000, 9999)}`;
    default:
      return `+33 6 ${p.int(10, 99)} ${p.int(10, 99)} ${p.int(10, 99)} ${p.int(10, 99)}`;
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

/**
 * Which custom properties a record fills. A handful of fixed patterns instead of a coin per
 * property keeps the number of distinct object shapes small, which V8 needs to stay fast.
 */
function fillPatterns(count: number, share: number): boolean[][] {
  return Array.from({ length: 8 }, (_, k) =>
    Array.from({ length: count }, (_, j) => ((j * 7 + k * 13) % 100) / 100 < share || (j + k) % 5 === 0),
  );
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

  const companyPatterns = fillPatterns(companyCustom.length, 0.6);
  const dealPatterns = fillPatterns(dealCustom.length, 0.5);
  const contactPatterns = fillPatterns(contactCustom.length, 0.5);

  // Companies.
  const companies: StoredRecord[] = [];
  const companyDomain: string[] = [];
  const companyNames: string[] = [];
  const usedDomains = new Set<string>();
  const domainOwner = new Map<string, number>();
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
    if (primary && !domainOwner.has(primary)) domainOwner.set(primary, i);
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
    const fill = companyPatterns[p.int(0, 7)]!;
    companyCustom.forEach((d, j) => {
      if (fill[j]) props[d.name] = customValue(d, p, createdAt);
    });
    if (props.internal_code) props.internal_code = `C-${FIRST_IDS.companies + i}`;
    // HubSpot's calculated values, derived from the record (no PRNG draws, so the data of a
    // seed stays what it was before these properties existed).
    props.hs_annual_revenue_currency_code = "USD";
    props.hs_v2_date_entered_current_stage = new Date(updatedAt).toISOString();
    if (props.lifecyclestage === "customer") props.hs_date_entered_customer = new Date(Math.min(updatedAt, createdAt + (i % 90) * DAY)).toISOString();
    if (i % 3 === 0) props.hs_last_logged_outgoing_email_date = new Date(updatedAt - (i % 30) * DAY).toISOString();
    companies.push(new StoredRecord(FIRST_IDS.companies + i, props, createdAt, updatedAt, "IMPORT"));
    companyDomain.push(primary);
    companyNames.push(name);
  }

  // Contacts: most at a company, email at its domain. Emails are unique (HubSpot enforces
  // it) by counting each (domain owner, local-part pattern) instead of a Set of strings.
  const contacts: StoredRecord[] = [];
  const contactCompany: number[] = [];
  const contactIds: number[] = [];
  const companyFirstContact = new Map<number, number>();
  const localUses = new Map<number, number>();
  const contactCompanyIndex: number[] = [];
  const contactNames: number[] = [];
  for (let i = 0; i < sizes.contacts; i++) {
    const id = FIRST_IDS.contacts + i;
    const props: Props = {};
    let companyIndex = -1;
    let firstIdx: number;
    let lastIdx: number;
    const prevIndex = contacts.length > 0 && p.chance(0.02) ? p.int(Math.max(0, contacts.length - 50), contacts.length - 1) : -1;
    const prev = prevIndex >= 0 ? contacts[prevIndex] : undefined;
    if (prev) {
      // A duplicate person: same name and company, a different email.
      const names = contactNames[prevIndex]!;
      firstIdx = Math.floor(names / 100);
      lastIdx = names % 100;
      companyIndex = contactCompanyIndex[prevIndex] ?? -1;
    } else {
      firstIdx = p.int(0, FIRST.length - 1);
      lastIdx = p.int(0, LAST.length - 1);
      if (sizes.companies > 0 && p.chance(0.85)) companyIndex = p.int(0, sizes.companies - 1);
    }
    contactCompanyIndex.push(companyIndex);
    contactNames.push(firstIdx * 100 + lastIdx);
    props.firstname = FIRST[firstIdx]!;
    props.lastname = LAST[lastIdx]!;
    const company = companyIndex >= 0 ? companies[companyIndex] : undefined;
    const companyDom = companyIndex >= 0 ? companyDomain[companyIndex] : "";
    const noHandle = p.chance(0.03);
    if (!noHandle) {
      const freeIdx = companyDom ? -1 : p.int(0, FREEMAIL.length - 1);
      const domain = companyDom || FREEMAIL[freeIdx]!;
      const owner = companyDom ? (domainOwner.get(companyDom) ?? companyIndex) : sizes.companies + freeIdx;
      const first = ascii(props.firstname);
      const last = ascii(props.lastname);
      const variant = prev ? 1 : p.chance(0.7) ? 0 : 2 + p.int(1, 99);
      const local = variant === 0 ? `${first}.${last}` : variant === 1 ? `${first.slice(0, 1)}${last}` : `${first}${variant - 2}`;
      const key = owner * 400_000 + (firstIdx * 100 + lastIdx) * 102 + variant;
      const uses = localUses.get(key) ?? 0;
      localUses.set(key, uses + 1);
      props.email = uses === 0 ? `${local}@${domain}` : `${local}.${uses + 1}@${domain}`;
      if (prev?.props.phone) props.phone = prev.props.phone;
      else if (p.chance(0.6)) props.phone = phone(p);
    }
    if (company) props.company = companyNames[companyIndex]!;
    props.jobtitle = p.pick(TITLES);
    props.lifecyclestage = p.pick(LIFECYCLE_STAGES);
    const { createdAt, updatedAt } = timesFor(p, company ? company.createdAt : start, anchor);
    if (p.chance(0.3)) {
      const fill = contactPatterns[p.int(0, 7)]!;
      contactCustom.forEach((d, j) => {
        if (fill[j]) props[d.name] = customValue(d, p, createdAt);
      });
    }
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
      dealname: `${company ? companyNames[company.id - FIRST_IDS.companies] : "Unassigned"} - ${p.pick(DEAL_KINDS)} ${new Date(createdAt).getUTCFullYear()}`,
      amount: String(p.int(5, 2000) * 100),
      dealstage: stage,
      pipeline: "default",
      closedate: new Date(createdAt + p.int(30, 120) * DAY).toISOString(),
      dealtype: p.chance(0.6) ? "newbusiness" : "existingbusiness",
    };
    if (p.chance(0.8)) props.hubspot_owner_id = p.pick(OWNER_IDS);
    const fill = dealPatterns[p.int(0, 7)]!;
    dealCustom.forEach((d, j) => {
      if (fill[j]) props[d.name] = customValue(d, p, createdAt);
    });
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
