import type { FastifyInstance } from "fastify";

/** `POST {prefix}/reset` and `POST {prefix}/seed`, the same for every emulator's generator. */
export interface Seedable<Sizes> {
  reset(): void;
  seed(seed: number, sizes: Sizes): void;
  stats(): unknown;
}

export function registerResetAndSeedRoutes<Body extends { seed?: number }, Sizes>(
  app: FastifyInstance,
  prefix: string,
  store: Seedable<Sizes>,
  sizesFrom: (body: Body) => Sizes | undefined,
  defaultSizes: () => Sizes,
): void {
  app.post(`${prefix}/reset`, async (req) => {
    const b = (req.body ?? {}) as Body;
    store.reset();
    const sizes = sizesFrom(b);
    if (sizes) store.seed(b.seed ?? 42, sizes);
    return { ok: true, counts: store.stats() };
  });

  app.post(`${prefix}/seed`, async (req) => {
    const b = (req.body ?? {}) as Body;
    const sizes = sizesFrom(b) ?? defaultSizes();
    const started = Date.now();
    store.seed(b.seed ?? 42, sizes);
    return { ok: true, counts: store.stats(), ms: Date.now() - started };
  });
}
