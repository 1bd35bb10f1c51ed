// Every failure leaves the server as { error: { code, message, details } }. Bad input never
// becomes a 500: Fastify's own parse/limit errors are translated to stable codes here.
import type { FastifyError, FastifyInstance } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { z } from "zod";
import { AppError, ConnectorError, type ApiErrorCode } from "../core/errors.ts";
import { appErrorForConnector, httpStatusFor } from "./error-mapping.ts";

export const errorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()) }),
});

function body(code: string, message: string, details: Record<string, unknown> = {}) {
  return { error: { code, message, details } };
}

const fastifyCodes: Record<string, { code: ApiErrorCode; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: "malformed_json", message: "The request body is not valid JSON." },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: "malformed_json", message: "The request body is empty but JSON was declared." },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: "payload_too_large", message: "The request body is too large." },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: "unsupported_media_type", message: "Send the body as application/json." },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: "validation_failed", message: "The Content-Length header does not match the body." },
};

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError | Error, request, reply) => {
    // Routes map connector failures with the CRM's name (withCrm); one that slips by still gets its code.
    if (error instanceof ConnectorError) error = appErrorForConnector(error, { displayName: "The CRM" });
    if (error instanceof AppError) {
      const retryAfter = error.details["retryAfterSeconds"];
      if (error.code === "rate_limited" && typeof retryAfter === "number") void reply.header("retry-after", String(retryAfter));
      return reply.status(httpStatusFor(error.code)).send(body(error.code, error.message, error.details));
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation.map((v) => ({
        path: `${error.validationContext ?? "body"}${v.instancePath.replaceAll("/", ".")}`,
        message: v.message,
      }));
      const first = issues[0];
      const message = first ? `Invalid request: ${first.path} ${first.message}` : "Invalid request.";
      return reply.status(400).send(body("validation_failed", message, { issues }));
    }
    const fastifyCode = "code" in error && typeof error.code === "string" ? fastifyCodes[error.code] : undefined;
    if (fastifyCode) {
      return reply.status(httpStatusFor(fastifyCode.code)).send(body(fastifyCode.code, fastifyCode.message));
    }
    const status = "statusCode" in error && typeof error.statusCode === "number" ? error.statusCode : 500;
    if (status >= 400 && status < 500) {
      return reply.status(status).send(body("validation_failed", error.message));
    }
    request.log.error({ err: error }, "unhandled error");
    return reply.status(500).send(body("internal_error", "Something went wrong on our side; the request was not applied."));
  });

  app.setNotFoundHandler((request, reply) => {
    return reply.status(404).send(body("not_found", `No route ${request.method} ${request.url.split("?")[0] ?? ""}.`));
  });
}
