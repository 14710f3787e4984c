import type { FastifyInstance, RouteOptions } from "fastify";

export const OPENAPI_PATH = "/api/v1/openapi.json";

/** Who may call a route; every route declares one in `config.access`. */
export const ACCESS_LEVELS = {
  public: "anyone",
  operator: "the operator: bearer operator secret, or the UI session cookie (+ X-LinkMesh-CSRF on changes)",
  collector: "a collector token (lmc_...) of an enrolled collector",
  agent: "an agent token (lma_...) of an enrolled collector",
  enrollment: "anyone holding an enrollment token (lme_...) in the body",
  opamp: "an OpAMP client with an enrollment or collector token",
} as const;
export type Access = keyof typeof ACCESS_LEVELS;

const SECURITY: Record<Access, Record<string, string[]>[]> = {
  public: [],
  operator: [{ operatorBearer: [] }, { sessionCookie: [] }],
  collector: [{ collectorBearer: [] }],
  agent: [{ agentBearer: [] }],
  enrollment: [],
  opamp: [{ collectorBearer: [] }],
};

interface Entry {
  method: string;
  url: string;
  access: string | undefined;
  summary: string | undefined;
  schema: Record<string, unknown>;
}

/** Records routes as they are added (register it on the root instance before any route). */
export class RouteCatalog {
  readonly entries: Entry[] = [];

  attach(app: FastifyInstance): void {
    app.addHook("onRoute", (route: RouteOptions) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      const config = (route.config ?? {}) as { access?: string; summary?: string };
      for (const method of methods) {
        if (method === "HEAD" || method === "OPTIONS") continue;
        this.entries.push({
          method: method.toLowerCase(),
          url: route.url,
          access: config.access,
          summary: config.summary,
          schema: (route.schema ?? {}) as Record<string, unknown>,
        });
      }
    });
  }

  /** Routes that do not say who may call them (a test keeps this empty). */
  undeclared(): string[] {
    return this.entries
      .filter((e) => e.access === undefined || !(e.access in ACCESS_LEVELS))
      .map((e) => `${e.method.toUpperCase()} ${e.url}`);
  }

  document(version: string): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const e of this.entries) {
      const path = e.url.replace(/:([A-Za-z0-9_]+)/g, "{$1}").replace(/\*$/, "{path}");
      const access = (e.access ?? "public") as Access;
      const operation: Record<string, unknown> = {
        summary: e.summary ?? `${e.method.toUpperCase()} ${e.url}`,
        "x-linkmesh-access": e.access ?? "undeclared",
        description: `Who may call it: ${ACCESS_LEVELS[access] ?? "undeclared"}.`,
        security: SECURITY[access] ?? [],
        parameters: [
          ...parametersOf(e.schema.params, "path"),
          ...parametersOf(e.schema.querystring, "query"),
          ...[...path.matchAll(/\{([^}]+)\}/g)]
            .map((m) => m[1] as string)
            .filter((name) => !hasProperty(e.schema.params, name))
            .map((name) => ({ name, in: "path", required: true, schema: { type: "string" } })),
        ],
        responses: responsesOf(e.schema.response),
      };
      if (e.schema.body) {
        operation.requestBody = { required: true, content: { "application/json": { schema: plain(e.schema.body) } } };
      }
      paths[path] = { ...(paths[path] ?? {}), [e.method]: operation };
    }
    return {
      openapi: "3.1.0",
      info: {
        title: "LinkMesh relay",
        version,
        description:
          "Fleet state, OTLP receiver, agent links and the operator API. `x-linkmesh-access` says who may call each route.",
      },
      components: {
        securitySchemes: {
          operatorBearer: { type: "http", scheme: "bearer", description: "the operator secret" },
          sessionCookie: { type: "apiKey", in: "cookie", name: "lm_session" },
          collectorBearer: { type: "http", scheme: "bearer", description: "collector token lmc_..." },
          agentBearer: { type: "http", scheme: "bearer", description: "agent token lma_..." },
        },
      },
      paths,
    };
  }
}

function hasProperty(schema: unknown, name: string): boolean {
  const properties = (schema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return properties !== undefined && name in properties;
}

function parametersOf(schema: unknown, where: "path" | "query"): Record<string, unknown>[] {
  const s = schema as { properties?: Record<string, unknown>; required?: string[] } | undefined;
  if (!s?.properties) return [];
  return Object.entries(s.properties).map(([name, property]) => ({
    name,
    in: where,
    required: where === "path" || (s.required ?? []).includes(name),
    schema: plain(property),
  }));
}

function responsesOf(response: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [status, schema] of Object.entries((response ?? {}) as Record<string, unknown>)) {
    out[status] = { description: `HTTP ${status}`, content: { "application/json": { schema: plain(schema) } } };
  }
  if (Object.keys(out).length === 0) out.default = { description: "see the route's summary" };
  return out;
}

/** TypeBox schemas carry symbol keys; JSON round-trip keeps only the JSON Schema. */
function plain(schema: unknown): unknown {
  return JSON.parse(JSON.stringify(schema ?? {}));
}

export async function openApiRoutes(
  app: FastifyInstance,
  deps: { catalog: RouteCatalog; version: string },
): Promise<void> {
  let cached: string | null = null;
  app.get(OPENAPI_PATH, { config: { access: "public", summary: "This OpenAPI document" } }, async (_request, reply) => {
    cached ??= JSON.stringify(deps.catalog.document(deps.version));
    return reply.type("application/json").send(cached);
  });
}
