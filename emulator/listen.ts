import type { FastifyInstance } from "fastify";

/** Listens and answers the URL (no trailing slash) and the port actually bound. */
export async function listen(app: FastifyInstance, host: string, port: number): Promise<{ url: string; port: number }> {
  await app.listen({ port, host });
  const addr = app.server.address();
  const bound = typeof addr === "object" && addr ? addr.port : port;
  return { url: `http://${host.includes(":") ? `[${host}]` : host}:${bound}`, port: bound };
}
