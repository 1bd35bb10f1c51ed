// Keyset pagination: a cursor is the sort key and id of the last row a page returned, so a
// page costs the same at row 100,000 as at row 0 and rows inserted meanwhile are not skipped.
import { AppError } from "../core/errors.ts";

export type CursorKey = [sortValue: string | number | null, id: string];

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

export function decodeCursor(cursor: string): CursorKey {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      (parsed[0] === null || typeof parsed[0] === "string" || typeof parsed[0] === "number") &&
      typeof parsed[1] === "string"
    ) {
      return [parsed[0], parsed[1]];
    }
  } catch {
    // falls through to the error below
  }
  throw new AppError("invalid_cursor", "The cursor is not one this API returned.", { cursor });
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const defaultPageSize = 50;
export const maxPageSize = 200;
