/**
 * HubSpot serves each API under a date-based version (2026-09) and, until September 2027,
 * under its legacy v1/v3/v4 path. The emulator serves both; routes are registered once per
 * version, and a version decides the path, the counter key and the few shape differences.
 *
 * Counter keys: a 2026-09 path counts under the plain name (`companies.list`), the legacy
 * path under the same name prefixed `legacy.` (`legacy.companies.list`), so a benchmark can
 * tell whether crmsync still calls the old paths.
 */
export type ApiVersion = "2026-09" | "legacy";

export const API_VERSIONS: readonly ApiVersion[] = ["2026-09", "legacy"];

/** The date segment HubSpot's current CRM paths carry. */
export const DATE_VERSION = "2026-09";

export function endpointKey(version: ApiVersion, name: string): string {
  return version === "legacy" ? `legacy.${name}` : name;
}

/** `/crm/objects/2026-09/{type}` or `/crm/v3/objects/{type}`. */
export function objectsBase(version: ApiVersion, type: string): string {
  return version === "legacy" ? `/crm/v3/objects/${type}` : `/crm/objects/${DATE_VERSION}/${type}`;
}

export function propertiesBase(version: ApiVersion, type: string): string {
  return version === "legacy" ? `/crm/v3/properties/${type}` : `/crm/properties/${DATE_VERSION}/${type}`;
}

/** Batch association routes: `/crm/associations/2026-09/{from}/{to}` or `/crm/v4/associations/{from}/{to}`. */
export function associationsBase(version: ApiVersion): string {
  return version === "legacy" ? "/crm/v4/associations" : `/crm/associations/${DATE_VERSION}`;
}

/** Per-record association routes live under the objects path: `/crm/objects/2026-09/…` or `/crm/v4/objects/…`. */
export function recordAssociationsBase(version: ApiVersion): string {
  return version === "legacy" ? "/crm/v4/objects" : `/crm/objects/${DATE_VERSION}`;
}

export function listsBase(version: ApiVersion): string {
  return version === "legacy" ? "/crm/v3/lists" : `/crm/lists/${DATE_VERSION}`;
}

export function accountInfoBase(version: ApiVersion): string {
  return version === "legacy" ? "/account-info/v3" : `/account-info/${DATE_VERSION}`;
}

/** Every (version, path) pair a route is served on, e.g. one per version and object-type alias. */
export function versionedPaths(paths: (version: ApiVersion) => readonly string[]): Array<{ version: ApiVersion; base: string }> {
  return API_VERSIONS.flatMap((version) => paths(version).map((base) => ({ version, base })));
}
