// Number and unit formatting for the report.
export function int(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

export function fixed(n: number, digits = 1): string {
  return n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "—";
  if (seconds < 1) return `${int(seconds * 1000)} ms`;
  if (seconds < 60) return `${fixed(seconds, 1)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${int(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${int((seconds % 3600) / 60)} min`;
}

export function ms(n: number): string {
  return n < 10 ? `${fixed(n, 1)} ms` : `${int(n)} ms`;
}

export function mb(bytes: number): string {
  return `${int(bytes / 1024 / 1024)} MB`;
}

export function ratio(n: number): string {
  if (!Number.isFinite(n)) return "—";
  return n >= 10 ? `${int(n)}×` : `${fixed(n, 2)}×`;
}

export function percent(n: number): string {
  return `${fixed(n * 100, n < 0.1 ? 2 : 1)}%`;
}
