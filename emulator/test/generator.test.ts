import { describe, expect, it } from "vitest";
import { EmulatorStore, SIZE_PRESETS, generate } from "../index.ts";

describe("data generator", () => {
  it("is deterministic for a seed and differs across seeds", () => {
    const a = generate(42, SIZE_PRESETS.small);
    const b = generate(42, SIZE_PRESETS.small);
    const c = generate(43, SIZE_PRESETS.small);
    const digest = (d: ReturnType<typeof generate>) =>
      JSON.stringify([d.companies.map((r) => [r.id, r.props, r.createdAt, r.updatedAt]), d.deals.map((r) => [r.id, r.props]), d.contacts.map((r) => [r.id, r.props]), d.edges, d.lists]);
    expect(digest(a)).toBe(digest(b));
    expect(digest(a)).not.toBe(digest(c));
  });

  it("produces the data shapes crmsync's matching needs", () => {
    const d = generate(42, SIZE_PRESETS.small);
    expect(d.companies).toHaveLength(500);
    expect(d.deals).toHaveLength(800);
    expect(d.contacts).toHaveLength(2000);
    const domains = d.companies.map((c) => c.props.domain);
    const noDomain = domains.filter((x) => !x).length;
    const counts = new Map<string, number>();
    for (const x of domains) if (x) counts.set(x, (counts.get(x) ?? 0) + 1);
    const shared = [...counts.values()].filter((n) => n > 1).length;
    expect(noDomain).toBeGreaterThan(5);
    expect(shared).toBeGreaterThan(3);
    expect(d.companies.some((c) => (c.props.hs_additional_domains ?? "").includes(";"))).toBe(true);
    const emails = d.contacts.map((c) => c.props.email).filter((x): x is string => !!x);
    expect(new Set(emails.map((e) => e.toLowerCase())).size).toBe(emails.length);
    expect(d.contacts.some((c) => !c.props.email && !c.props.phone)).toBe(true);
    expect(d.contacts.some((c) => c.props.phone)).toBe(true);
    // Contacts at a company use its domain.
    const store = new EmulatorStore();
    store.load(d);
    const atCompany = d.contacts.filter((c) => c.props.email && store.associations.list("contacts", c.id, "companies").length > 0);
    const matching = atCompany.filter((c) => {
      const company = store.objects.companies.get(store.associations.list("contacts", c.id, "companies")[0]!)!;
      return company.props.domain && c.props.email!.endsWith(`@${company.props.domain}`);
    });
    expect(matching.length / atCompany.length).toBeGreaterThan(0.8);
    // Several deals per company with spread createdates, after the company's own.
    const perCompany = new Map<number, number[]>();
    for (const deal of d.deals) {
      const [company] = store.associations.list("deals", deal.id, "companies");
      if (company === undefined) continue;
      perCompany.set(company, [...(perCompany.get(company) ?? []), deal.createdAt]);
      expect(deal.createdAt).toBeGreaterThanOrEqual(store.objects.companies.get(company)!.createdAt);
    }
    expect([...perCompany.values()].some((v) => v.length >= 3 && new Set(v).size === v.length)).toBe(true);
    expect(d.lists.length).toBeGreaterThan(0);
    // Every custom property type has values somewhere.
    const custom = store.properties.list("companies").filter((p) => !p.hubspotDefined);
    for (const p of custom) expect(d.companies.some((c) => c.props[p.name] !== undefined), p.name).toBe(true);
  });

  it("generates a million contacts in memory", { timeout: 180_000 }, () => {
    const started = Date.now();
    const d = generate(1, SIZE_PRESETS.million);
    const ms = Date.now() - started;
    const loadStarted = Date.now();
    const store = new EmulatorStore();
    store.load(d);
    const loadMs = Date.now() - loadStarted;
    console.log(`generated ${d.contacts.length} contacts, ${d.companies.length} companies, ${d.deals.length} deals in ${ms} ms; loaded in ${loadMs} ms; heap ${Math.round(process.memoryUsage().heapUsed / 1e6)} MB`);
    expect(d.contacts).toHaveLength(1_000_000);
    expect(store.stats()).toMatchObject({ companies: 100_000, deals: 120_000, contacts: 1_000_000 });
    expect(store.objects.contacts.page(0, 100, false).items).toHaveLength(100);
  });
});
