/**
 * Salesforce's REST error bodies: an array of `{message, errorCode}` (plus `fields` where
 * Salesforce names them). OAuth endpoints answer `{error, error_description}` instead.
 */
export interface SalesforceErrorItem {
  message: string;
  errorCode: string;
  fields?: string[];
}

export class SalesforceError extends Error {
  constructor(
    readonly statusCode: number,
    readonly errorCode: string,
    message: string,
    readonly fields?: string[],
  ) {
    super(message);
  }

  body(): SalesforceErrorItem[] {
    const item: SalesforceErrorItem = { message: this.message, errorCode: this.errorCode };
    if (this.fields) item.fields = this.fields;
    return [item];
  }
}

export const SESSION_INVALID = (): SalesforceError => new SalesforceError(401, "INVALID_SESSION_ID", "Session expired or invalid");

export const NOT_FOUND = (): SalesforceError => new SalesforceError(404, "NOT_FOUND", "The requested resource does not exist");

export const REQUEST_LIMIT = (): SalesforceError => new SalesforceError(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.");

export function badRequest(errorCode: string, message: string, fields?: string[]): SalesforceError {
  return new SalesforceError(400, errorCode, message, fields);
}

/** Per-record errors of sObject Collections answers. */
export interface RecordError {
  statusCode: string;
  message: string;
  fields: string[];
}
