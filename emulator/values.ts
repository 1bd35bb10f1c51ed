import { validationError, type HubSpotError } from "./errors.ts";
import type { PropertyDefinition } from "./properties.ts";

/** Input values as clients send them; HubSpot coerces numbers and booleans to strings. */
export type InputValue = string | number | boolean | null | undefined;

interface PropertyValueError {
  isValid: false;
  message: string;
  error: string;
  name: string;
  localizedErrorMessage: string;
  portalId: number;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

function toMs(raw: string): number | undefined {
  if (/^-?\d+$/.test(raw)) return Number(raw);
  const ms = Date.parse(raw);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Returns the stored string ("" clears), or an error code + message. */
function normalize(def: PropertyDefinition, raw: string): { value: string } | { error: string; message: string } {
  if (raw === "") return { value: "" };
  switch (def.type) {
    case "number":
    case "currency_number": {
      const n = Number(raw.trim());
      if (raw.trim() === "" || !Number.isFinite(n)) return { error: "INVALID_INTEGER", message: `${raw} was not a valid number.` };
      return { value: raw.trim() };
    }
    case "bool": {
      const v = raw.toLowerCase();
      if (v !== "true" && v !== "false") return { error: "INVALID_OPTION", message: `${raw} was not one of the allowed options: [true, false]` };
      return { value: v };
    }
    case "date": {
      if (DATE_RE.test(raw)) return { value: raw };
      const ms = toMs(raw);
      if (ms === undefined || ms % 86_400_000 !== 0)
        return { error: "INVALID_DATE", message: `${raw} is at a non-midnight time, or is not a valid date.` };
      return { value: new Date(ms).toISOString().slice(0, 10) };
    }
    case "datetime": {
      const ms = toMs(raw);
      if (ms === undefined) return { error: "INVALID_DATETIME", message: `${raw} is not a valid datetime.` };
      return { value: new Date(ms).toISOString() };
    }
    case "enumeration": {
      if (def.externalOptions) return { value: raw };
      // An open multi-value property such as hs_additional_domains: a checkbox with no options takes any values.
      if (def.fieldType === "checkbox" && def.options.length === 0) return { value: raw };
      const parts = raw.split(";");
      if (def.fieldType !== "checkbox" && parts.length > 1)
        return { error: "INVALID_OPTION", message: `${raw} was not one of the allowed options` };
      for (const part of parts) {
        if (!def.options.some((o) => o.value === part)) {
          const allowed = def.options.map((o) => o.value).join(", ");
          return { error: "INVALID_OPTION", message: `${part} was not one of the allowed options: [${allowed}]` };
        }
      }
      return { value: raw };
    }
    default:
      return { value: raw };
  }
}

export interface ValidateOptions {
  portalId: number;
  /** The control API writes like the HubSpot UI would, so read-only values are allowed there. */
  allowReadOnly?: boolean;
}

/**
 * Validates and normalises a client's property values. Throws HubSpot's VALIDATION_ERROR
 * ("Property values were not valid: [...]") listing every bad property.
 */
export function validateProperties(
  defs: Map<string, PropertyDefinition>,
  input: Record<string, InputValue> | undefined,
  opts: ValidateOptions,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (input === undefined || input === null) return out;
  if (typeof input !== "object" || Array.isArray(input)) throw validationError("Invalid input JSON: properties must be an object");
  const errors: PropertyValueError[] = [];
  const fail = (name: string, error: string, message: string): void => {
    errors.push({ isValid: false, message, error, name, localizedErrorMessage: message, portalId: opts.portalId });
  };
  for (const [name, rawValue] of Object.entries(input)) {
    const def = defs.get(name);
    if (!def || def.archived) {
      fail(name, "PROPERTY_DOESNT_EXIST", `Property "${name}" does not exist`);
      continue;
    }
    if (def.modificationMetadata.readOnlyValue && !opts.allowReadOnly) {
      fail(name, "READ_ONLY_VALUE", `"${name}" is a read only property; its value cannot be set.`);
      continue;
    }
    const raw = rawValue === null || rawValue === undefined ? "" : String(rawValue);
    // A value only HubSpot itself writes (a contact's additional emails, merged ids) is whatever
    // HubSpot put there: such enumerations have no options to check against.
    if (def.modificationMetadata.readOnlyValue && def.type === "enumeration" && def.options.length === 0) {
      if (raw !== "") out[name] = raw;
      continue;
    }
    const result = normalize(def, raw);
    if ("error" in result) fail(name, result.error, result.message);
    else out[name] = result.value;
  }
  if (errors.length > 0) throw propertyErrors(errors);
  return out;
}

function propertyErrors(errors: PropertyValueError[]): HubSpotError {
  return validationError(`Property values were not valid: ${JSON.stringify(errors)}`);
}
