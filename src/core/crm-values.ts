// Values pulled from the CRM arrive as strings in the CRM's own formats. A value that does not
// convert is reported (sync error value_not_convertible) and the field keeps its last value,
// so this returns a result instead of throwing.
import { AppError } from "./errors.ts";
import {
  describeValue,
  formatCanonicalDate,
  parseIsoDate,
  parseNumberLiteral,
  parseYesNo,
  validateFieldValue,
} from "./fields.ts";
import type { FieldDefinition, FieldOption, FieldValue } from "./fields.ts";

export type CrmValueResult = { ok: true; value: FieldValue } | { ok: false; reason: string };

/** The options of a select imported from a CRM's boolean (HubSpot bool, Salesforce boolean; product spec §3.3, §8). */
export const booleanSelectOptions: readonly FieldOption[] = [
  { value: "Yes", label: "Yes" },
  { value: "No", label: "No" },
];

/** How field import maps a CRM boolean: a Yes/No select with its own copy of the options. */
export function booleanSelectMapping(): { supported: true; type: "select"; options: FieldOption[] } {
  return { supported: true, type: "select", options: booleanSelectOptions.map((option) => ({ ...option })) };
}

const epochMillis = /^-?\d+$/;

/**
 * Epoch ms of a CRM timestamp: HubSpot writes date and datetime values, and record times
 * such as createdAt, either as epoch milliseconds or as ISO 8601. Null when it is neither.
 */
export function parseCrmTimestamp(raw: string): number | null {
  const text = raw.trim();
  if (!epochMillis.test(text)) return parseIsoDate(text);
  const ms = Number(text);
  return Number.isSafeInteger(ms) ? ms : null;
}

function optionValues(field: FieldDefinition): string {
  return field.options.length === 0 ? "none" : field.options.map((option) => option.value).join(", ");
}

/** What the CRM string means for this field, before the field's own checks. */
function candidate(field: FieldDefinition, raw: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  const text = raw.trim();
  switch (field.type) {
    case "text":
      return { ok: true, value: raw };
    case "number": {
      // HubSpot writes numbers as plain decimals ("1234.5"). A comma is not tolerated: "1,234"
      // means 1234 in one locale and 1.234 in another, and guessing would store a wrong number.
      const value = parseNumberLiteral(text);
      return value === null ? { ok: false, reason: `${describeValue(raw)} is not a number.` } : { ok: true, value };
    }
    case "date": {
      // date properties hold midnight UTC as epoch ms; datetime ones epoch ms or ISO 8601.
      const epoch = parseCrmTimestamp(text);
      const value = epoch === null ? null : formatCanonicalDate(epoch);
      return value === null ? { ok: false, reason: `${describeValue(raw)} is not a date.` } : { ok: true, value };
    }
    case "select": {
      // Exact internal values only: HubSpot sends values, never labels.
      const exact = [raw, text].find((value) => field.options.some((option) => option.value === value));
      if (exact !== undefined) return { ok: true, value: exact };
      const bool = parseYesNo(text);
      const mapped = bool === undefined ? undefined : booleanSelectOptions[bool ? 0 : 1]?.value;
      if (mapped !== undefined && field.options.some((option) => option.value === mapped)) {
        return { ok: true, value: mapped };
      }
      return { ok: false, reason: `${describeValue(raw)} is not one of the field's options (${optionValues(field)}).` };
    }
    case "multi_select": {
      const items = raw.split(";").map((item) => item.trim()).filter((item) => item !== "");
      const unknown = items.filter((item) => !field.options.some((option) => option.value === item));
      if (unknown.length > 0) {
        return {
          ok: false,
          reason: `${unknown.map(describeValue).join(", ")} ${unknown.length === 1 ? "is not one of" : "are not among"} the field's options (${optionValues(field)}).`,
        };
      }
      return { ok: true, value: items };
    }
    case "yes_no": {
      const value = parseYesNo(text);
      return value === undefined ? { ok: false, reason: `${describeValue(raw)} is not a yes/no value.` } : { ok: true, value };
    }
  }
}

/**
 * Converts a property value read from HubSpot into the field's API form. An empty or missing
 * value clears the field: the CRM is the source of truth for synced fields.
 */
export function convertCrmValue(field: FieldDefinition, raw: string | null | undefined): CrmValueResult {
  if (raw === null || raw === undefined || raw.trim() === "") return { ok: true, value: null };
  const converted = candidate(field, raw);
  if (!converted.ok) return converted;
  try {
    return { ok: true, value: validateFieldValue(field, converted.value) };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, reason: error.message };
    throw error;
  }
}
