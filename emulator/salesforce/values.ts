import type { RecordError } from "./errors.ts";
import type { FieldDef, FieldValue, RecordValues } from "./fields.ts";

/** Salesforce's datetime form in JSON answers: 2024-01-15T10:00:00.000+0000. */
export function formatDatetime(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "+0000");
}

/** ISO 8601 with a zone (Z, +hh:mm or +hhmm), as SOQL literals and JSON writes give them. */
export function parseDatetime(raw: string): number | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})$/.exec(raw);
  if (!m) return undefined;
  const zone = m[4] === "Z" ? "Z" : `${m[4]!.slice(0, 3)}:${m[4]!.slice(-2)}`;
  const ms = Date.parse(`${m[1]}T${m[2]}${m[3] ?? ""}${zone}`);
  return Number.isNaN(ms) ? undefined : ms;
}

export function isDate(raw: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(raw)) return false;
  const d = new Date(`${raw}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(raw);
}

/** The stored value of a field, with formula fields computed. */
export function rawValue(f: FieldDef, values: RecordValues): FieldValue {
  if (f.compute) return f.compute(values);
  return values[f.name] ?? null;
}

/** A field's value as Salesforce puts it in a JSON answer. */
export function renderValue(f: FieldDef, values: RecordValues, blobUrl: () => string): unknown {
  if (f.parts) {
    const out: Record<string, unknown> = {};
    let any = false;
    for (const [key, part] of Object.entries(f.parts)) {
      const v = values[part] ?? null;
      if (v !== null) any = true;
      out[key] = v;
    }
    return any ? out : null;
  }
  const v = rawValue(f, values);
  if (v === null) return f.type === "boolean" ? false : null;
  if (f.type === "datetime" && typeof v === "number") return formatDatetime(v);
  if (f.type === "base64") return blobUrl();
  return v;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Turns one written JSON value into the stored form, or says why Salesforce would refuse it. */
export function coerceWrite(f: FieldDef, input: unknown): { ok: true; value: FieldValue } | { ok: false; error: RecordError } {
  const fail = (statusCode: string, message: string): { ok: false; error: RecordError } => ({ ok: false, error: { statusCode, message, fields: [f.name] } });
  const wrongType = () => fail("INVALID_TYPE_ON_FIELD_IN_RECORD", `${f.label}: value not of required type: ${String(input)}`);
  if (input === null || input === "") {
    if (f.type === "boolean") return { ok: true, value: false };
    return { ok: true, value: null };
  }
  switch (f.type) {
    case "boolean":
      if (typeof input === "boolean") return { ok: true, value: input };
      if (input === "true" || input === "false") return { ok: true, value: input === "true" };
      return wrongType();
    case "currency":
    case "percent":
    case "double":
    case "int":
    case "long": {
      const n = typeof input === "number" ? input : typeof input === "string" && input.trim() !== "" ? Number(input) : Number.NaN;
      if (!Number.isFinite(n)) return wrongType();
      if ((f.type === "int" || f.type === "long") && !Number.isInteger(n)) return wrongType();
      return { ok: true, value: n };
    }
    case "date":
      if (typeof input === "string" && isDate(input.slice(0, 10)) && (input.length === 10 || parseDatetime(input) !== undefined)) return { ok: true, value: input.slice(0, 10) };
      return wrongType();
    case "datetime": {
      const ms = typeof input === "string" ? parseDatetime(input) : undefined;
      return ms === undefined ? wrongType() : { ok: true, value: ms };
    }
    case "anyType":
      return typeof input === "object" ? wrongType() : { ok: true, value: input as FieldValue };
    default: {
      if (typeof input === "object") return wrongType();
      const s = String(input);
      if (f.length > 0 && s.length > f.length) return fail("STRING_TOO_LONG", `${f.label}: data value too large: ${s.slice(0, 30)} (max length=${f.length})`);
      if (f.type === "email" && !EMAIL.test(s)) return fail("INVALID_EMAIL_ADDRESS", `${f.label}: invalid email address: ${s}`);
      if (f.type === "picklist" && f.restrictedPicklist && !f.picklistValues.some((p) => p.value === s))
        return fail("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", `${f.label}: bad value for restricted picklist field: ${s}`);
      if (f.type === "reference" || f.type === "id") {
        if (!/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(s)) return fail("MALFORMED_ID", `${f.label}: id value of incorrect type: ${s}`);
      }
      return { ok: true, value: s };
    }
  }
}
