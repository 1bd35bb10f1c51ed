import { Clock } from "../clock.ts";
import { Counters } from "../counters.ts";
import { FaultInjector } from "../faults.ts";
import { ApiUsage } from "./api-usage.ts";
import { SalesforceAuth } from "./auth.ts";
import { SalesforceError } from "./errors.ts";
import type { FieldDef, FieldValue, RecordValues } from "./fields.ts";
import { generate, type GeneratorSizes } from "./generator.ts";
import { KEY_PREFIXES, makeId, normaliseId } from "./ids.ts";
import { ListViews } from "./list-views.ts";
import { QueryLocators } from "./query-locators.ts";
import { RecordTable, type SfRecord } from "./records.ts";
import { OBJECT_NAMES, standardObjects, type ObjectInfo, type ObjectName } from "./schema.ts";
import type { QuerySource } from "./soql/compile.ts";
import { compileRules, type ValidationRule } from "./validation-rules.ts";

export const ORG_ID = makeId(KEY_PREFIXES.Organization, 4242);
export const USER_ID = makeId(KEY_PREFIXES.User, 77);
export const USERNAME = "integration@crmsync-emulator.example";
export const DEFAULT_DAILY_API_LIMIT = 100_000;
export const DEFAULT_ACCESS_TOKEN_LIFETIME_SECONDS = 7200;
/** Contact fields whose changes land in ContactHistory by default (field history tracking). */
export const DEFAULT_TRACKED_CONTACT_FIELDS = ["FirstName", "LastName", "Email", "Phone", "MobilePhone", "Title", "Lifecycle_Stage__c"];

export interface SalesforceStoreOptions {
  dailyApiLimit?: number;
  accessTokenLifetimeSeconds?: number;
  faultSeed?: number;
}

export interface WriteTimes {
  createdDate?: number;
  lastModifiedDate?: number;
  systemModstamp?: number;
}

/** The whole state of one emulated org. */
export class SalesforceStore implements QuerySource {
  readonly orgId = ORG_ID;
  readonly userId = USER_ID;
  readonly clock = new Clock();
  readonly counters = new Counters();
  readonly faults: FaultInjector;
  readonly auth: SalesforceAuth;
  readonly usage: ApiUsage;
  readonly listViews = new ListViews();
  readonly locators = new QueryLocators();
  objects: Record<ObjectName, ObjectInfo> = standardObjects();
  readonly tables: Record<ObjectName, RecordTable>;
  validationRules: Record<ObjectName, ValidationRule[]> = emptyRules();
  trackedContactFields = new Set(DEFAULT_TRACKED_CONTACT_FIELDS);
  private readonly faultSeed: number;
  private readonly dailyApiLimit: number;

  constructor(opts: SalesforceStoreOptions = {}) {
    this.faultSeed = opts.faultSeed ?? 1;
    this.dailyApiLimit = opts.dailyApiLimit ?? DEFAULT_DAILY_API_LIMIT;
    this.faults = new FaultInjector(this.faultSeed);
    this.auth = new SalesforceAuth(ORG_ID, opts.accessTokenLifetimeSeconds ?? DEFAULT_ACCESS_TOKEN_LIFETIME_SECONDS);
    this.usage = new ApiUsage(this.dailyApiLimit);
    this.tables = Object.fromEntries(OBJECT_NAMES.map((n) => [n, new RecordTable(n, this.objects[n].keyPrefix)])) as Record<ObjectName, RecordTable>;
  }

  now(): number {
    return this.clock.now();
  }

  info(name: ObjectName): ObjectInfo {
    return this.objects[name];
  }

  get(object: ObjectName, id: string): SfRecord | undefined {
    const full = normaliseId(id);
    return full ? this.tables[object].get(full) : undefined;
  }

  all(object: ObjectName): Iterable<SfRecord> {
    return this.tables[object].all();
  }

  require(object: ObjectName, id: string): SfRecord {
    const rec = this.get(object, id);
    if (!rec) throw new SalesforceError(404, "NOT_FOUND", `No ${object} with id ${id}`);
    return rec;
  }

  /** Everything back to an empty org with default settings (clients, limits, rules, clock). */
  reset(): void {
    for (const t of Object.values(this.tables)) t.clear();
    this.objects = standardObjects();
    this.validationRules = emptyRules();
    this.trackedContactFields = new Set(DEFAULT_TRACKED_CONTACT_FIELDS);
    this.listViews.clear();
    this.locators.clear();
    this.faults.clear(this.faultSeed);
    this.faults.releaseHung();
    this.counters.reset();
    this.auth.reset();
    this.usage.reset();
    this.usage.max = this.dailyApiLimit;
    this.clock.reset();
  }

  /** Replaces the records with generated ones (settings are kept). */
  seed(seed: number, sizes: GeneratorSizes): void {
    for (const t of Object.values(this.tables)) t.clear();
    this.locators.clear();
    generate(this, seed, sizes);
  }

  stats(): Record<ObjectName, number> {
    return Object.fromEntries(OBJECT_NAMES.map((n) => [n, this.tables[n].size])) as Record<ObjectName, number>;
  }

  /** Creates a record; fields are trusted (API writes are checked in writes.ts first). */
  create(object: ObjectName, fields: RecordValues, times: WriteTimes = {}, history = true): SfRecord {
    const now = this.now();
    const created = times.createdDate ?? now;
    const modified = times.lastModifiedDate ?? created;
    const values: RecordValues = {};
    for (const f of this.objects[object].fields) if (!f.parts && !f.compute) values[f.name] = f.type === "boolean" ? false : null;
    Object.assign(values, fields);
    const id = this.tables[object].nextId();
    Object.assign(values, {
      Id: id,
      IsDeleted: false,
      CreatedDate: created,
      CreatedById: USER_ID,
      LastModifiedDate: modified,
      LastModifiedById: USER_ID,
      SystemModstamp: Math.max(times.systemModstamp ?? modified, modified),
    });
    if ("OwnerId" in values && values.OwnerId === null) values.OwnerId = USER_ID;
    derive(object, values);
    const rec: SfRecord = { id, object, values };
    this.tables[object].insert(rec);
    if (history && object === "Contact") this.addHistory(id, "created", null, null, created);
    return rec;
  }

  /** Applies changes and stamps LastModifiedDate and SystemModstamp (now unless given). */
  update(rec: SfRecord, changes: RecordValues, times: WriteTimes = {}): SfRecord {
    const now = this.now();
    const before = { ...rec.values };
    Object.assign(rec.values, changes);
    derive(rec.object, rec.values);
    const modified = times.lastModifiedDate ?? now;
    rec.values.LastModifiedDate = modified;
    rec.values.LastModifiedById = USER_ID;
    rec.values.SystemModstamp = times.systemModstamp ?? Math.max(now, modified);
    if (rec.object === "Contact") {
      for (const name of Object.keys(changes)) {
        if (this.trackedContactFields.has(name) && before[name] !== rec.values[name]) this.addHistory(rec.id, name, before[name] ?? null, rec.values[name] ?? null, modified);
      }
    }
    return rec;
  }

  /** Moves a record to the recycle bin: `query` stops seeing it, `queryAll` shows IsDeleted. */
  softDelete(rec: SfRecord, at = this.now()): void {
    rec.values.IsDeleted = true;
    rec.values.SystemModstamp = at;
  }

  undelete(rec: SfRecord, at = this.now()): void {
    rec.values.IsDeleted = false;
    rec.values.SystemModstamp = at;
  }

  private addHistory(contactId: string, fieldName: string, oldValue: FieldValue, newValue: FieldValue, at: number): void {
    const def = this.objects.Contact.fields.find((f) => f.name === fieldName);
    this.create(
      "ContactHistory",
      { ContactId: contactId, Field: fieldName, DataType: def ? historyDataType(def) : null, OldValue: oldValue, NewValue: newValue },
      { createdDate: at },
      false,
    );
  }

  /** Adds a custom field (`__c`) to an object's describe. */
  addField(object: ObjectName, def: FieldDef): void {
    const info = this.objects[object];
    if (info.fields.some((f) => f.name.toLowerCase() === def.name.toLowerCase())) throw new SalesforceError(400, "DUPLICATE_DEVELOPER_NAME", `There is already a field named ${def.name} on ${object}.`);
    info.fields.push(def);
    for (const rec of this.tables[object].all()) rec.values[def.name] = def.type === "boolean" ? false : null;
  }

  removeField(object: ObjectName, name: string): boolean {
    const info = this.objects[object];
    const i = info.fields.findIndex((f) => f.name === name && f.custom);
    if (i < 0) return false;
    info.fields.splice(i, 1);
    for (const rec of this.tables[object].all()) delete rec.values[name];
    return true;
  }

  setValidationRules(object: ObjectName, raw: unknown): ValidationRule[] {
    this.validationRules[object] = compileRules(raw, this.objects[object], this);
    return this.validationRules[object];
  }
}

function emptyRules(): Record<ObjectName, ValidationRule[]> {
  return Object.fromEntries(OBJECT_NAMES.map((n) => [n, []])) as unknown as Record<ObjectName, ValidationRule[]>;
}

const CLOSED_WON = "Closed Won";
const CLOSED_LOST = "Closed Lost";

/** Fields Salesforce derives on save: Contact.Name, Opportunity.IsClosed/IsWon. */
function derive(object: ObjectName, v: RecordValues): void {
  if (object === "Contact") v.Name = [v.FirstName, v.LastName].filter((x) => typeof x === "string" && x !== "").join(" ");
  if (object === "Opportunity") {
    v.IsWon = v.StageName === CLOSED_WON;
    v.IsClosed = v.StageName === CLOSED_WON || v.StageName === CLOSED_LOST;
  }
}

function historyDataType(def: FieldDef): string {
  const map: Partial<Record<string, string>> = { string: "Text", email: "Email", phone: "Phone", picklist: "DynamicEnum", textarea: "TextArea", reference: "EntityId" };
  return map[def.type] ?? def.type;
}
