// How values read in the UI. Dates show in the browser's locale; stored values stay ISO.
import type { CustomField, FieldValue } from "../api/types.ts";

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeZone: "UTC" });
const number = new Intl.NumberFormat(undefined, { maximumFractionDigits: 6 });

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

const dateMedium = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateMedium.format(date);
}

export function formatRelative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return "never";
  const ms = now - new Date(iso).getTime();
  if (Number.isNaN(ms)) return iso;
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
  const seconds = Math.round(ms / 1000);
  if (Math.abs(seconds) < 45) return "just now";
  const minutes = Math.round(seconds / 60);
  if (Math.abs(minutes) < 60) return rtf.format(-minutes, "minute");
  const hours = Math.round(minutes / 60);
  if (Math.abs(hours) < 24) return rtf.format(-hours, "hour");
  return rtf.format(-Math.round(hours / 24), "day");
}

export function formatDuration(startIso: string | null, endIso: string | null, now = Date.now()): string {
  if (!startIso) return "—";
  const ms = (endIso ? new Date(endIso).getTime() : now) - new Date(startIso).getTime();
  if (ms < 1000) return `${Math.max(ms, 0)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

export function formatNumber(value: number): string {
  return number.format(value);
}

function optionLabel(field: CustomField, value: string): string {
  return field.options.find((o) => o.value === value)?.label ?? value;
}

/** A field value as text; empty string when there is none. */
export function formatFieldValue(field: CustomField, value: FieldValue | undefined): string {
  if (value === undefined || value === null) return "";
  switch (field.type) {
    case "number":
      return typeof value === "number" ? formatNumber(value) : String(value);
    case "date": {
      if (typeof value !== "string") return String(value);
      const date = new Date(value);
      if (Number.isNaN(date.getTime())) return value;
      return /^\d{4}-\d{2}-\d{2}$/.test(value) ? dateOnly.format(date) : formatDateTime(value);
    }
    case "yes_no":
      return value === true ? "Yes" : value === false ? "No" : String(value);
    case "select":
      return typeof value === "string" ? optionLabel(field, value) : String(value);
    case "multi_select":
      return Array.isArray(value) ? value.map((v) => optionLabel(field, v)).join(", ") : String(value);
    case "text":
      return String(value);
  }
}

export const fieldTypeLabels: Record<CustomField["type"], string> = {
  text: "Text",
  number: "Number",
  date: "Date",
  select: "Select",
  multi_select: "Multi-select",
  yes_no: "Yes / No",
};
