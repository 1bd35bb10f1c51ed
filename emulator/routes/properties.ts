import type { FastifyInstance } from "fastify";
import { endpointKey, propertiesBase, versionedPaths } from "../api-versions.ts";
import { HubSpotError, notFound, validationError } from "../errors.ts";
import { OBJECT_INFO, OBJECT_TYPES } from "../object-types.ts";
import { options as makeOptions, type PropertyDefinition } from "../properties.ts";
import { route } from "../server.ts";
import type { EmulatorStore } from "../store.ts";
import { body, boolParam, query } from "./common.ts";

/** Properties (2026-09 and legacy v3): list, get, create, update and archive per object type. */
const TYPES = new Set(["string", "number", "date", "datetime", "enumeration", "bool", "phone_number", "json", "object_coordinates", "currency_number"]);

interface PropertyBody {
  name?: string;
  label?: string;
  type?: string;
  fieldType?: string;
  groupName?: string;
  description?: string;
  options?: Array<{ label?: string; value?: string; description?: string; displayOrder?: number; hidden?: boolean }>;
  hasUniqueValue?: boolean;
  hidden?: boolean;
  displayOrder?: number;
  formField?: boolean;
  dataSensitivity?: string;
}

const SENSITIVITIES = new Set(["non_sensitive", "sensitive", "highly_sensitive"]);

function applyOptions(input: PropertyBody["options"]): PropertyDefinition["options"] {
  return (input ?? []).map((o, i) => ({
    label: o.label ?? o.value ?? "",
    value: o.value ?? "",
    description: o.description ?? "",
    displayOrder: o.displayOrder ?? i,
    hidden: o.hidden ?? false,
  }));
}

export function registerPropertyRoutes(app: FastifyInstance, store: EmulatorStore): void {
  for (const type of OBJECT_TYPES) {
    const info = OBJECT_INFO[type];
    const read = [`crm.schemas.${type}.read`, `crm.objects.${type}.read`];
    const write = [`crm.schemas.${type}.write`];
    for (const { version, base } of versionedPaths((v) => [type, info.singular, info.typeId].map((alias) => propertiesBase(v, alias)))) {
      const key = (name: string): string => endpointKey(version, `properties.${type}.${name}`);
      app.get(base, route({ endpoint: key("list"), scopes: read }), async (req) => {
        return { results: store.properties.list(type, boolParam(query(req).archived)) };
      });

      app.get(`${base}/:name`, route({ endpoint: key("get"), scopes: read }), async (req) => {
        const { name } = req.params as { name: string };
        const def = store.properties.get(type, name);
        if (!def) throw notFound(`Unable to find property named ${name} for object type ${info.upper}`);
        return def;
      });

      app.post(base, route({ endpoint: key("create"), scopes: write }), async (req, reply) => {
        const b = body<PropertyBody>(req);
        if (!b.name || !b.label || !b.type || !b.fieldType || !b.groupName)
          throw validationError("Invalid input JSON: name, label, type, fieldType and groupName are required");
        if (!TYPES.has(b.type)) throw validationError(`Invalid property type ${b.type}`);
        if (b.dataSensitivity !== undefined && !SENSITIVITIES.has(b.dataSensitivity))
          throw validationError(`Invalid dataSensitivity ${b.dataSensitivity}: one of non_sensitive, sensitive, highly_sensitive`);
        if (store.properties.map(type).has(b.name)) throw new HubSpotError(409, "CONFLICT", `Property named '${b.name}' already exists.`);
        const now = new Date(store.now()).toISOString();
        const def: PropertyDefinition = {
          name: b.name,
          label: b.label,
          type: b.type,
          fieldType: b.fieldType,
          description: b.description ?? "",
          groupName: b.groupName,
          options: b.type === "bool" && !b.options ? makeOptions([["true", "Yes"], ["false", "No"]]) : applyOptions(b.options),
          displayOrder: b.displayOrder ?? -1,
          calculated: false,
          externalOptions: false,
          hasUniqueValue: b.hasUniqueValue ?? false,
          hidden: b.hidden ?? false,
          hubspotDefined: false,
          formField: b.formField ?? true,
          dataSensitivity: (b.dataSensitivity ?? "non_sensitive") as PropertyDefinition["dataSensitivity"],
          modificationMetadata: { archivable: true, readOnlyDefinition: false, readOnlyValue: false },
          createdAt: now,
          updatedAt: now,
          archived: false,
        };
        store.properties.map(type).set(def.name, def);
        reply.code(201);
        return def;
      });

      app.patch(`${base}/:name`, route({ endpoint: key("update"), scopes: write }), async (req) => {
        const { name } = req.params as { name: string };
        const def = store.properties.get(type, name);
        if (!def) throw notFound(`Unable to find property named ${name} for object type ${info.upper}`);
        if (def.modificationMetadata.readOnlyDefinition) throw validationError(`Property ${name} is read-only and cannot be modified.`);
        const b = body<PropertyBody>(req);
        if (b.label !== undefined) def.label = b.label;
        if (b.description !== undefined) def.description = b.description;
        if (b.groupName !== undefined) def.groupName = b.groupName;
        if (b.fieldType !== undefined) def.fieldType = b.fieldType;
        if (b.type !== undefined) def.type = b.type;
        if (b.hidden !== undefined) def.hidden = b.hidden;
        if (b.displayOrder !== undefined) def.displayOrder = b.displayOrder;
        if (b.options !== undefined) def.options = applyOptions(b.options);
        def.updatedAt = new Date(store.now()).toISOString();
        return def;
      });

      app.delete(`${base}/:name`, route({ endpoint: key("archive"), scopes: write }), async (req, reply) => {
        const { name } = req.params as { name: string };
        const def = store.properties.get(type, name);
        if (!def) throw notFound(`Unable to find property named ${name} for object type ${info.upper}`);
        if (!def.modificationMetadata.archivable) throw validationError(`Property ${name} is a HubSpot-defined property and cannot be archived.`);
        def.archived = true;
        def.archivedAt = new Date(store.now()).toISOString();
        return reply.code(204).send();
      });
    }
  }
}
