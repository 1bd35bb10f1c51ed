import type { FastifyInstance } from "fastify";
import { endpointKey, objectsBase, versionedPaths } from "../api-versions.ts";
import { OBJECT_INFO, OBJECT_TYPES } from "../object-types.ts";
import { parseSearch, type SearchBody } from "../search.ts";
import { projection, versionRenderer, type PublicObject } from "../serialize.ts";
import { route } from "../server.ts";
import type { EmulatorStore } from "../store.ts";
import { body } from "./common.ts";

/** POST /crm/objects/2026-09/{type}/search (and the legacy v3 path). */
export function registerSearchRoutes(app: FastifyInstance, store: EmulatorStore): void {
  for (const type of OBJECT_TYPES) {
    const info = OBJECT_INFO[type];
    const scopes = [`crm.objects.${type}.read`, `crm.objects.${type}.write`];
    for (const { version, base } of versionedPaths((v) => [objectsBase(v, type), objectsBase(v, info.typeId)])) {
      const render = versionRenderer(version, type, store.portalId, () => store.properties.map(type));
      app.post(`${base}/search`, route({ endpoint: endpointKey(version, `${type}.search`), scopes, search: true }), async (req) => {
        const b = body<SearchBody>(req);
        const defs = store.properties.map(type);
        const parsed = parseSearch(b, defs, info);
        const { total, page, nextAfter } = store.search.run(store.collection(type), parsed, store.now());
        const names = projection(type, defs, Array.isArray(b.properties) ? b.properties : undefined);
        const results = page.map((r) => render(r, { names }));
        const out: { total: number; results: PublicObject[]; paging?: { next: { after: string; link?: string } } } = { total, results };
        if (nextAfter !== undefined) out.paging = { next: { after: nextAfter } };
        return out;
      });
    }
  }
}
