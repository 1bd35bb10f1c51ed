// Custom fields: what a value looks like in the API, how it is kept in two typed columns, and
// how list filters given as query strings become typed operands.
import { AppError } from "./errors.ts";

export const fieldTypes = ["text", "number", "date", "select", "multi_select", "yes_no"] as const;
export type FieldType = (typeof fieldTypes)[number];

export interface FieldOption {
  value: string;
  label: string;
}

export interface SyncMapping {
  /** The CRM connector's id (its registry key). */
  provider: string;
  object: "company" | "deal" | "contact";
  property: string;
}

export interface FieldDefinition {
  id: string;
  key: string;
  label: string;
  type: FieldType;
  options: FieldOption[];
  syncMapping: SyncMapping | null;
}

/** API form: text/select → string, number → number, date → ISO string, multi_select → string[], yes_no → boolean. */
export type FieldValue = string | number | boolean | string[] | null;

/** Storage form: text/select/multi_select in `text`, numbers in `number`; dates in both. */
export interface StoredValue {
  text: string | null;
  number: number | null;
}

export function isFieldType(value: string): value is FieldType {
  return (fieldTypes as readonly string[]).includes(value);
}

// ---------------------------------------------------------------------------------------------
// Dates

const msPerDay = 86_400_000;

const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/;
const dateTime =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function utcMs(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number): number {
  // Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear does not.
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, ms);
  return d.getTime();
}

// Four-digit years only, so every stored date prints in plain ISO 8601 (no "+010000").
const earliestMs = utcMs(0, 1, 1, 0, 0, 0, 0);
const latestMs = utcMs(9999, 12, 31, 23, 59, 59, 999);

/**
 * Epoch milliseconds of `YYYY-MM-DD` (midnight UTC) or of an ISO 8601 date-time that carries
 * its offset (`Z` or `±hh:mm`); null otherwise. A date-time without an offset is refused
 * because it would be read in the server's time zone.
 */
export function parseIsoDate(input: string): number | null {
  const text = input.trim().toUpperCase();
  const match = dateOnly.exec(text) ?? dateTime.exec(text);
  if (match === null) return null;
  const [, y, mo, d, h = "0", mi = "0", s = "0", fraction = "", offset = "Z"] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  let offsetMinutes = 0;
  if (offset !== "Z") {
    const offsetHours = Number(offset.slice(1, 3));
    const offsetMins = Number(offset.slice(4, 6));
    if (offsetHours > 23 || offsetMins > 59) return null;
    offsetMinutes = (offset.startsWith("-") ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const millis = Number(fraction.padEnd(3, "0").slice(0, 3));
  const epoch = utcMs(year, month, day, hour, minute, second, millis) - offsetMinutes * 60_000;
  return epoch >= earliestMs && epoch <= latestMs ? epoch : null;
}

/** `YYYY-MM-DD` when the instant is midnight UTC, else the full `toISOString()`; null out of range. */
export function formatCanonicalDate(epochMs: number): string | null {
  if (!Number.isInteger(epochMs) || epochMs < earliestMs || epochMs > latestMs) return null;
  const iso = new Date(epochMs).toISOString();
  return epochMs % msPerDay === 0 ? iso.slice(0, 10) : iso;
}

// ---------------------------------------------------------------------------------------------
// API values

/** HubSpot's limit for a string property value: longer text could neither come from it nor go to it. */
export const maxTextLength = 65_536;

/** A value as quoted in error messages: JSON, cut to 80 characters. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "undefined";
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function optionList(field: FieldDefinition): string {
  const shown = field.options.slice(0, 10).map((option) => option.value);
  const more = field.options.length > shown.length ? `, and ${field.options.length - shown.length} more` : "";
  return shown.length === 0 ? "(the field has no options)" : `${shown.join(", ")}${more}`;
}

function expectation(field: FieldDefinition): string {
  switch (field.type) {
    case "text":
      return `text of at most ${maxTextLength.toLocaleString("en-US")} characters`;
    case "number":
      return "a finite number";
    case "date":
      return "a date as YYYY-MM-DD or an ISO 8601 date-time with a time zone";
    case "select":
      return `one of: ${optionList(field)}`;
    case "multi_select":
      return `a list of: ${optionList(field)}`;
    case "yes_no":
      return "true or false";
  }
}

function invalidValue(field: FieldDefinition, value: unknown): AppError {
  return new AppError(
    "field_value_invalid",
    `Invalid value ${describeValue(value)} for field "${field.label}": expected ${expectation(field)}.`,
    { field: field.key, value },
  );
}

/** The option value matching `input`: exact value first, then label ignoring case. */
export function resolveOption(field: FieldDefinition, input: string): string | undefined {
  const exact = field.options.find((option) => option.value === input);
  if (exact !== undefined) return exact.value;
  const wanted = input.trim().toLowerCase();
  return field.options.find((option) => option.label.trim().toLowerCase() === wanted)?.value;
}

/** Option values in the field's option order, each once; null for none (one form of "empty"). */
function inOptionOrder(field: FieldDefinition, values: ReadonlySet<string>): string[] | null {
  const ordered = new Set<string>();
  for (const option of field.options) if (values.has(option.value)) ordered.add(option.value);
  return ordered.size === 0 ? null : [...ordered];
}

/** The value in API form, or undefined when `input` does not fit the field. */
function coerce(field: FieldDefinition, input: unknown): FieldValue | undefined {
  switch (field.type) {
    case "text":
      if (typeof input !== "string" || input.length > maxTextLength) return undefined;
      // Blank text is stored as "no value" so that is_empty has one meaning.
      return input.trim() === "" ? null : input;
    case "number":
      if (typeof input !== "number" || !Number.isFinite(input)) return undefined;
      return input === 0 ? 0 : input; // no -0 in storage
    case "date": {
      const epoch =
        input instanceof Date ? input.getTime() : typeof input === "string" ? parseIsoDate(input) : null;
      return epoch === null ? undefined : (formatCanonicalDate(epoch) ?? undefined);
    }
    case "select":
      return typeof input === "string" ? resolveOption(field, input) : undefined;
    case "multi_select": {
      if (!Array.isArray(input)) return undefined;
      const values = new Set<string>();
      for (const item of input) {
        const value = typeof item === "string" ? resolveOption(field, item) : undefined;
        if (value === undefined) return undefined;
        values.add(value);
      }
      return inOptionOrder(field, values);
    }
    case "yes_no":
      return typeof input === "boolean" ? input : undefined;
  }
}

/**
 * Checks and canonicalises an API value for `field`. `null` clears the field; so do blank text
 * and an empty multi_select list, which are stored as null.
 */
export function validateFieldValue(field: FieldDefinition, input: unknown): FieldValue {
  if (input === null) return null;
  const value = coerce(field, input);
  if (value === undefined) throw invalidValue(field, input);
  return value;
}

// ---------------------------------------------------------------------------------------------
// Storage

const emptyStored: StoredValue = { text: null, number: null };

/** The two columns for a value already returned by validateFieldValue. */
export function toStoredValue(field: FieldDefinition, value: FieldValue): StoredValue {
  if (value === null) return { ...emptyStored };
  switch (field.type) {
    case "text":
    case "select":
      if (typeof value === "string") return { text: value, number: null };
      break;
    case "number":
      if (typeof value === "number" && Number.isFinite(value)) return { text: null, number: value };
      break;
    case "date": {
      // Both columns: the text keeps the author's precision for display, the number serves ranges and sorting.
      const epoch = typeof value === "string" ? parseIsoDate(value) : null;
      const canonical = epoch === null ? null : formatCanonicalDate(epoch);
      if (epoch !== null && canonical !== null) return { text: canonical, number: epoch };
      break;
    }
    case "multi_select":
      if (Array.isArray(value)) return { text: JSON.stringify(value), number: null };
      break;
    case "yes_no":
      if (typeof value === "boolean") return { text: value ? "yes" : "no", number: value ? 1 : 0 };
      break;
  }
  throw invalidValue(field, value);
}

function corrupt(field: FieldDefinition, stored: StoredValue): Error {
  return new Error(`Stored value of field "${field.key}" is corrupt: ${describeValue(stored)}.`);
}

/** The API value of two stored columns. Throws a plain Error on data no writer could have produced. */
export function fromStoredValue(field: FieldDefinition, stored: StoredValue): FieldValue {
  switch (field.type) {
    case "text":
    case "select":
      return stored.text;
    case "number":
      return stored.number;
    case "date": {
      if (stored.text !== null) return stored.text;
      if (stored.number === null) return null;
      const canonical = formatCanonicalDate(stored.number);
      if (canonical === null) throw corrupt(field, stored);
      return canonical;
    }
    case "multi_select": {
      if (stored.text === null) return null;
      let parsed: unknown;
      try {
        parsed = JSON.parse(stored.text);
      } catch {
        throw corrupt(field, stored);
      }
      if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === "string")) throw corrupt(field, stored);
      return parsed as string[];
    }
    case "yes_no":
      if (stored.number !== null) return stored.number !== 0;
      return stored.text === null ? null : stored.text === "yes";
  }
}

// ---------------------------------------------------------------------------------------------
// Keys

export const maxFieldKeyLength = 64;

// Letters NFKD does not decompose into a base letter plus marks.
const transliterations: Record<string, string> = { ß: "ss", æ: "ae", œ: "oe", ø: "o", ł: "l", đ: "d", ð: "d", þ: "th", ı: "i" };

/**
 * A snake_case ASCII key for a new field, unique against `taken` by a `_2`, `_3`... suffix.
 * Keys start with a letter so they read as identifiers in query strings and code. `taken` is
 * not modified: the caller adds the key once the field is saved.
 */
export function fieldKeyFromLabel(label: string, taken: ReadonlySet<string>): string {
  let base = label
    .toLowerCase()
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/[^a-z0-9]/g, (char) => transliterations[char] ?? " ")
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (base === "") base = "field";
  else if (/^[0-9]/.test(base)) base = `field_${base}`;
  const fit = (key: string, room: number) => key.slice(0, room).replace(/_+$/, "");
  base = fit(base, maxFieldKeyLength);
  let key = base;
  for (let n = 2; taken.has(key); n += 1) key = `${fit(base, maxFieldKeyLength - `_${n}`.length)}_${n}`;
  return key;
}

// ---------------------------------------------------------------------------------------------
// Filters

export const filterOps = ["eq", "neq", "gt", "gte", "lt", "lte", "in", "contains", "is_empty", "is_not_empty"] as const;
export type FilterOp = (typeof filterOps)[number];

/**
 * The ops each type accepts. Text is not ordered (collation differs per database), so it has
 * no ranges. A multi_select value is a set: `contains` means "has this option" and `in` means
 * "has any of these options"; `eq` is refused rather than guessing between the two.
 */
export const filterOpsByType: Record<FieldType, readonly FilterOp[]> = {
  text: ["eq", "neq", "in", "contains", "is_empty", "is_not_empty"],
  number: ["eq", "neq", "gt", "gte", "lt", "lte", "in", "is_empty", "is_not_empty"],
  date: ["eq", "neq", "gt", "gte", "lt", "lte", "in", "is_empty", "is_not_empty"],
  select: ["eq", "neq", "in", "is_empty", "is_not_empty"],
  multi_select: ["contains", "in", "is_empty", "is_not_empty"],
  yes_no: ["eq", "neq", "is_empty", "is_not_empty"],
};

/**
 * What a filter compares with: null for is_empty/is_not_empty; an array for `in` (number[] for
 * numbers, canonical strings otherwise); else one value in API form (number, canonical date
 * string, option value, boolean, text). Dates compare on StoredValue.number:
 * `toStoredValue(field, operand).number`.
 */
export type FilterOperand = string | number | boolean | string[] | number[] | null;

export function isFilterOp(value: string): value is FilterOp {
  return (filterOps as readonly string[]).includes(value);
}

const numberLiteral = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

/** A number written the way the API and HubSpot write them; no grouping, hex or Infinity. */
export function parseNumberLiteral(raw: string): number | null {
  const text = raw.trim();
  if (!numberLiteral.test(text)) return null;
  const value = Number(text);
  return Number.isFinite(value) ? (value === 0 ? 0 : value) : null;
}

const yesNoWords: Record<string, boolean> = { true: true, false: false, yes: true, no: false, "1": true, "0": false };

/** true/false, yes/no or 1/0 in any case, as written in query strings and by CRMs. */
export function parseYesNo(raw: string): boolean | undefined {
  return yesNoWords[raw.trim().toLowerCase()];
}

/** One filter value from a query string, in API form, or undefined when it does not fit. */
function parseScalar(field: FieldDefinition, raw: string): string | number | boolean | undefined {
  switch (field.type) {
    case "text":
      return raw === "" ? undefined : raw;
    case "number":
      return parseNumberLiteral(raw) ?? undefined;
    case "date": {
      const epoch = parseIsoDate(raw);
      return epoch === null ? undefined : (formatCanonicalDate(epoch) ?? undefined);
    }
    case "select":
    case "multi_select":
      return resolveOption(field, raw);
    case "yes_no":
      return parseYesNo(raw);
  }
}

function invalidFilter(field: FieldDefinition, op: string, raw: string, why: string): AppError {
  return new AppError("invalid_filter", `Invalid filter on field "${field.label}": ${why}`, {
    field: field.key,
    op,
    value: raw,
  });
}

/**
 * The typed operand of a list filter `field op raw`. `in` takes a comma-separated list (so a
 * text value containing a comma cannot be one of its items); is_empty and is_not_empty ignore
 * `raw`. Throws AppError("invalid_filter") for an unknown op, an op the type does not support,
 * or a value that does not fit the field.
 */
export function parseFilterValue(field: FieldDefinition, op: string, raw: string): FilterOperand {
  if (!isFilterOp(op)) {
    throw invalidFilter(field, op, raw, `unknown operator "${op}"; use one of ${filterOps.join(", ")}.`);
  }
  const allowed = filterOpsByType[field.type];
  if (!allowed.includes(op)) {
    throw invalidFilter(field, op, raw, `operator "${op}" does not apply to a ${field.type} field; use one of ${allowed.join(", ")}.`);
  }
  if (op === "is_empty" || op === "is_not_empty") return null;
  const parseOne = (item: string) => {
    const value = parseScalar(field, item);
    if (value === undefined) {
      throw invalidFilter(field, op, raw, `${describeValue(item)} is not valid; expected ${expectation(field)}.`);
    }
    return value;
  };
  if (op === "in") {
    const items = raw.split(",").map((item) => item.trim()).filter((item) => item !== "");
    if (items.length === 0) throw invalidFilter(field, op, raw, `"in" needs a comma-separated list of values.`);
    const values = [...new Set(items.map(parseOne))];
    return field.type === "number" ? (values as number[]) : (values as string[]);
  }
  return parseOne(raw);
}
