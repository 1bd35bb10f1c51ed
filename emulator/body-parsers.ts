import type { FastifyInstance } from "fastify";

/**
 * Body parsers both emulators use: JSON where an empty body means none (CRMs accept an empty
 * body with a JSON content type), and form bodies as flat objects. `badJson` makes the CRM's
 * own error for unparsable JSON.
 */
export function addBodyParsers(app: FastifyInstance, badJson: (parserMessage: string) => Error): void {
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_req, body, done) => {
    const text = typeof body === "string" ? body : body.toString("utf8");
    if (text.trim() === "") return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (e) {
      done(badJson((e as Error).message), undefined);
    }
  });
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(typeof body === "string" ? body : body.toString("utf8"))));
  });
}
