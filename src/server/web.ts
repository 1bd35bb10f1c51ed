// Serves the built web UI (web/dist) at `/`, with the SPA fallback: any other GET that is not
// an API, docs or asset path gets index.html, so deep links and reloads work. Unknown API
// paths still reach the JSON not-found handler.
import { existsSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply } from "fastify";

export const defaultWebRoot = fileURLToPath(new URL("../../web/dist/", import.meta.url));

/** Paths that belong to the server, never to the UI. */
const serverPrefixes = ["/api/", "/docs", "/healthz", "/readyz", "/metrics", "/oauth/"];

function belongsToServer(path: string): boolean {
  return path === "/api" || serverPrefixes.some((prefix) => path === prefix || path.startsWith(prefix));
}

const missingBuild = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>crmsync</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1>The web UI is not built</h1>
<p>Run <code>npm run build:web</code> (or <code>npm start</code>, which builds it when needed) and reload. The API is at <a href="/docs">/docs</a>.</p>
</body></html>`;

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export interface WebAppOptions {
  /** The folder with index.html and assets/; web/dist by default. */
  root?: string;
}

export async function registerWebApp(app: FastifyInstance, options: WebAppOptions = {}): Promise<void> {
  const root = options.root ?? defaultWebRoot;
  // serve: false — this module owns routing, so the fallback and API 404s stay in one place.
  await app.register(fastifyStatic, { root, serve: false });

  const sendIndex = (reply: FastifyReply) => {
    if (!existsSync(`${root}/index.html`)) return reply.status(503).type("text/html; charset=utf-8").send(missingBuild);
    // The shell must never be cached: it names the current hashed assets.
    return reply.header("cache-control", "no-cache").sendFile("index.html", root, { cacheControl: false });
  };

  app.get("/*", { schema: { hide: true } }, async (request, reply) => {
    let path: string;
    try {
      path = decodeURIComponent(request.url.split("?")[0] ?? "/");
    } catch {
      return reply.callNotFound();
    }
    if (belongsToServer(path)) return reply.callNotFound();
    if (path === "/" || path === "/index.html") return sendIndex(reply);
    const relative = path.slice(1);
    // A dot-segment could climb out of the root; @fastify/send refuses it too, but say 404 here.
    if (relative.split("/").some((part) => part === ".." || part === "")) return reply.callNotFound();
    if (isFile(`${root}/${relative}`)) {
      const hashed = relative.startsWith("assets/");
      return reply.sendFile(relative, root, hashed ? { maxAge: 31_536_000_000, immutable: true } : { maxAge: 3_600_000 });
    }
    // A missing file with an extension is a broken asset link, not a screen: answer 404.
    if (/\.[a-z0-9]+$/i.test(relative)) return reply.callNotFound();
    return sendIndex(reply);
  });
}
