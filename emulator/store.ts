import { AssociationStore } from "./associations.ts";
import { AuthRegistry, EMULATOR_USER_ID, PORTAL_ID, type PrivateAppTier } from "./auth.ts";
import { Clock } from "./clock.ts";
import { Counters } from "./counters.ts";
import { HubSpotError, notFound, validationError } from "./errors.ts";
import { FaultInjector } from "./faults.ts";
import { FIRST_IDS, generate, type GeneratedData, type GeneratorSizes } from "./generator.ts";
import { ListStore, type StoredList } from "./lists.ts";
import { OBJECT_INFO, OBJECT_TYPES, type ObjectType } from "./object-types.ts";
import { COMPUTED_PROPERTIES, PropertyRegistry } from "./properties.ts";
import { RateLimiter, defaultRateLimitConfig } from "./rate-limiter.ts";
import { ObjectCollection, StoredRecord, type ChangeSource, type Props } from "./records.ts";
import { SearchEngine } from "./search.ts";
import { ValidationRules, type RuleViolation } from "./validation-rules.ts";
import { validateProperties, type InputValue } from "./values.ts";

/**
 * The emulator's whole state. Routes and the control API go through these methods, and
 * in-process tests may call them directly (`running.store`).
 */
export interface StoreOptions {
  searchDelayMs?: number;
  accessTokenLifetimeSeconds?: number;
  rateLimits?: boolean;
  privateAppTier?: PrivateAppTier;
  faultSeed?: number;
}

export interface AssociationInput {
  toType: ObjectType;
  toId: number;
  /** Type ids beyond the default one (e.g. 1 for a contact's primary company). */
  typeIds?: number[];
}

/** What the HubSpot UI would record: a user edit. */
export const UI_SOURCE: ChangeSource = { sourceType: "CRM_UI", updatedByUserId: EMULATOR_USER_ID };

export class EmulatorStore {
  readonly clock = new Clock();
  readonly portalId = PORTAL_ID;
  readonly properties = new PropertyRegistry();
  readonly objects: Record<ObjectType, ObjectCollection> = {
    companies: new ObjectCollection("companies", FIRST_IDS.companies),
    deals: new ObjectCollection("deals", FIRST_IDS.deals),
    contacts: new ObjectCollection("contacts", FIRST_IDS.contacts),
  };
  readonly associations = new AssociationStore();
  readonly lists = new ListStore();
  readonly auth: AuthRegistry;
  readonly rateLimiter: RateLimiter;
  readonly faults: FaultInjector;
  readonly counters = new Counters();
  readonly search = new SearchEngine();
  readonly validationRules = new ValidationRules();

  constructor(opts: StoreOptions = {}) {
    this.auth = new AuthRegistry(opts.accessTokenLifetimeSeconds ?? 1800);
    const rl = defaultRateLimitConfig();
    rl.enabled = opts.rateLimits ?? true;
    if (opts.privateAppTier) rl.privateAppTier = opts.privateAppTier;
    this.rateLimiter = new RateLimiter(rl);
    this.faults = new FaultInjector(opts.faultSeed ?? 1);
    this.searchDelayMs = opts.searchDelayMs ?? 0;
  }

  now(): number {
    return this.clock.now();
  }

  get searchDelayMs(): number {
    return this.objects.companies.searchDelayMs;
  }

  set searchDelayMs(ms: number) {
    for (const t of OBJECT_TYPES) this.objects[t].searchDelayMs = ms;
  }

  collection(type: ObjectType): ObjectCollection {
    return this.objects[type];
  }

  /** Drops all CRM data (records, associations, lists, custom property changes). */
  clearData(): void {
    for (const t of OBJECT_TYPES) this.objects[t].clear();
    this.associations.clear();
    this.lists.clear();
    this.properties.reset();
    this.validationRules.clear();
    this.search.clear();
  }

  /** Back to a fresh emulator: no data, no faults, zeroed counters and rate windows, real time. */
  reset(): void {
    this.clearData();
    this.faults.clear();
    this.faults.releaseHung();
    this.counters.reset();
    this.rateLimiter.resetWindows();
    this.clock.reset();
  }

  /** Replaces all CRM data with generated data. */
  seed(seed: number, sizes: GeneratorSizes): GeneratedData {
    const data = generate(seed, sizes);
    this.load(data);
    return data;
  }

  load(data: GeneratedData): void {
    this.clearData();
    this.objects.companies.adopt(data.companies);
    this.objects.deals.adopt(data.deals);
    this.objects.contacts.adopt(data.contacts);
    for (const e of data.edges) this.associations.addBulk(e.from, e.to, e.fromIds, e.toIds, e.primary);
    const at = data.anchor;
    for (const l of data.lists) this.lists.create({ name: l.name, objectTypeId: l.objectTypeId, processingType: l.processingType, members: l.members }, at);
  }

  /** Counts of live records, for the control API and the CLI. */
  stats(): Record<string, number> {
    return {
      companies: this.objects.companies.liveCount(),
      deals: this.objects.deals.liveCount(),
      contacts: this.objects.contacts.liveCount(),
      lists: [...this.lists.lists.values()].filter((l) => l.deletedAt === 0).length,
    };
  }

  // ---- records -------------------------------------------------------------------------

  /** A live record by id (following merges), or a 404 HubSpotError. */
  require(type: ObjectType, id: number | string): StoredRecord {
    const n = typeof id === "number" ? id : /^\d+$/.test(id) ? Number(id) : NaN;
    const rec = Number.isSafeInteger(n) ? this.objects[type].resolve(n) : undefined;
    if (!rec || !rec.live) throw notFound();
    return rec;
  }

  validate(type: ObjectType, input: Record<string, InputValue> | undefined, allowReadOnly = false): Props {
    return validateProperties(this.properties.map(type), input, { portalId: this.portalId, allowReadOnly });
  }

  /** The portal's validation rules a 2026-09 write breaks (`rec` undefined on create). */
  brokenRules(type: ObjectType, rec: StoredRecord | undefined, props: Props): RuleViolation[] {
    return this.validationRules.check(type, rec?.props ?? {}, props, rec === undefined);
  }

  private checkUnique(type: ObjectType, props: Props, selfId: number): void {
    for (const [name, value] of Object.entries(props)) {
      if (!value) continue;
      const def = this.properties.get(type, name);
      if (!def?.hasUniqueValue) continue;
      const other = this.objects[type].findByUnique(name, value);
      if (other && other.id !== selfId) {
        const message =
          type === "contacts" && name === "email"
            ? `Contact already exists. Existing ID: ${other.id}`
            : `A ${OBJECT_INFO[type].singular} with the unique value "${value}" for property "${name}" already exists. Existing ID: ${other.id}`;
        throw new HubSpotError(409, "CONFLICT", message);
      }
    }
  }

  /** Creates a record from already validated props. */
  createRecord(type: ObjectType, props: Props, source: ChangeSource, associations: readonly AssociationInput[] = []): StoredRecord {
    const coll = this.objects[type];
    this.checkUnique(type, props, -1);
    for (const a of associations) this.require(a.toType, a.toId);
    const now = this.now();
    let createdAt = now;
    const clean: Props = {};
    for (const [k, v] of Object.entries(props)) {
      if (k === "createdate") {
        const ms = Date.parse(v);
        if (!Number.isNaN(ms)) createdAt = ms;
      } else if (v !== "" && !COMPUTED_PROPERTIES.has(k)) clean[k] = v;
    }
    const rec = new StoredRecord(coll.allocateId(), clean, createdAt, now, source.sourceType);
    coll.insert(rec, now);
    for (const a of associations) this.associations.add(type, rec.id, a.toType, a.toId, a.typeIds ?? []);
    return rec;
  }

  updateRecord(type: ObjectType, rec: StoredRecord, props: Props, source: ChangeSource): string[] {
    this.checkUnique(type, props, rec.id);
    const changes: Props = {};
    for (const [k, v] of Object.entries(props)) if (!COMPUTED_PROPERTIES.has(k)) changes[k] = v;
    return this.objects[type].applyChanges(rec, changes, source, this.now());
  }

  archiveRecord(type: ObjectType, rec: StoredRecord): void {
    const now = this.now();
    this.objects[type].archive(rec, now);
    this.lists.removeEverywhere(OBJECT_INFO[type].typeId, rec.id, now);
  }

  /**
   * HubSpot's merge: the primary survives with its id, empty values are filled from the
   * merged record, associations move over, and the merged id resolves to the survivor.
   */
  merge(type: ObjectType, primaryId: string, mergeId: string, source: ChangeSource): StoredRecord {
    if (primaryId === mergeId) throw validationError("Cannot merge an object with itself.");
    const primary = this.require(type, primaryId);
    const loser = this.require(type, mergeId);
    if (primary.id === loser.id) throw validationError("These objects have already been merged.");
    const now = this.now();
    const fill: Props = {};
    for (const [k, v] of Object.entries(loser.props)) if (primary.props[k] === undefined && k !== "hs_merged_object_ids") fill[k] = v;
    if (type === "contacts" && loser.props.email && primary.props.email) {
      const extra = [primary.props.hs_additional_emails, loser.props.email].filter(Boolean).join(";");
      fill.hs_additional_emails = extra;
      delete fill.email;
    }
    const merged = [primary.props.hs_merged_object_ids, String(loser.id), loser.props.hs_merged_object_ids].filter(Boolean).join(";");
    fill.hs_merged_object_ids = merged;
    this.objects[type].markMerged(loser, primary.id, now);
    this.objects[type].applyChanges(primary, fill, source, now);
    this.associations.moveAll(type, loser.id, primary.id, OBJECT_TYPES);
    const typeId = OBJECT_INFO[type].typeId;
    for (const l of this.lists.lists.values()) {
      if (l.objectTypeId !== typeId || !l.joinedAt.has(loser.id)) continue;
      this.lists.removeMembers(l, [loser.id], now);
      this.lists.addMembers(l, [primary.id], now);
    }
    return primary;
  }

  // ---- conveniences for tests and the control API ----------------------------------------

  /** Edits any properties as a HubSpot user would (read-only ones included). */
  setProperties(type: ObjectType, id: number | string, props: Record<string, InputValue>): StoredRecord {
    const rec = this.require(type, id);
    const valid = this.validate(type, props, true);
    this.updateRecord(type, rec, valid, UI_SOURCE);
    // createdate is kept as the record's createdAt, not as a stored value.
    if (valid.createdate) this.objects[type].setCreatedAt(rec, Date.parse(valid.createdate), this.now());
    return rec;
  }

  addRecord(type: ObjectType, props: Record<string, InputValue>, associations: readonly AssociationInput[] = []): StoredRecord {
    return this.createRecord(type, this.validate(type, props, true), UI_SOURCE, associations);
  }

  /** A deal associated with a company (primary), as created in the HubSpot UI. */
  addDeal(companyId: number | string, props: Record<string, InputValue>): StoredRecord {
    const company = this.require("companies", companyId);
    return this.addRecord("deals", props, [{ toType: "companies", toId: company.id, typeIds: [5] }]);
  }

  archive(type: ObjectType, id: number | string): void {
    this.archiveRecord(type, this.require(type, id));
  }

  createList(name: string, objectType: ObjectType, memberIds: readonly (number | string)[] = [], processingType: StoredList["processingType"] = "MANUAL"): StoredList {
    return this.lists.create(
      { name, objectTypeId: OBJECT_INFO[objectType].typeId, processingType, members: memberIds.map((x) => Number(x)) },
      this.now(),
    );
  }

  deleteList(listId: number | string): boolean {
    return this.lists.delete(Number(listId), this.now());
  }
}
