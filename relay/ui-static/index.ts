// Serves the built UI (dist/ui) at `/`: static files only, no API here. Anyone may load the shell;
// every piece of data it shows comes from operator-only /api/v1 routes.

import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import type { FastifyInstance } from "fastify";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".map": "application/json",
};

export async function uiRoutes(app: FastifyInstance, deps: { uiDir: string }): Promise<void> {
  const serve = async (file: string) => {
    const safe = normalize(file).replace(/^(\.\.(\/|\\|$))+/, "");
    return { body: await readFile(join(deps.uiDir, safe)), type: TYPES[extname(safe)] ?? "application/octet-stream" };
  };

  app.get("/", { config: { access: "public" } }, async (_request, reply) => {
    try {
      const { body, type } = await serve("index.html");
      return reply.type(type).header("cache-control", "no-cache").send(body);
    } catch {
      return reply.code(503).type("text/plain").send("UI assets are not built: run `npm run build`\n");
    }
  });

  app.get<{ Params: { "*": string } }>("/assets/*", { config: { access: "public" } }, async (request, reply) => {
    try {
      const { body, type } = await serve(join("assets", request.params["*"]));
      return reply.type(type).send(body);
    } catch {
      return reply.code(404).send({ error: "not_found", message: "no such asset" });
    }
  });
}
