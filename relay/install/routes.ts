// GET /install.sh and GET /downloads/:file. Who may call: anyone (no auth), because the script and the artifacts
// carry no secret; the enrollment token is supplied by the person running the script.

import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { FastifyInstance } from "fastify";
import { fillInstallScript, InstallScriptError, isDownloadName } from "./script.js";

export interface InstallDeps {
  publicUrl: () => string;
  /** packaging/install.sh. */
  scriptFile: string;
  /** Where `npm run package` put the artifacts (dist/packages). */
  downloadsDir: string;
}

/** Default locations beside the relay bundle: dist/ui -> dist/packages and packaging/install.sh. */
export function installPaths(uiDir: string, env: NodeJS.ProcessEnv): Omit<InstallDeps, "publicUrl"> {
  const dist = dirname(uiDir);
  return {
    scriptFile: env.LINKMESH_INSTALL_SCRIPT ?? join(dist, "..", "packaging", "install.sh"),
    downloadsDir: env.LINKMESH_DOWNLOADS_DIR ?? join(dist, "packages"),
  };
}

export async function installRoutes(app: FastifyInstance, deps: InstallDeps): Promise<void> {
  app.get(
    "/install.sh",
    { config: { access: "public", summary: "The install one-liner's script, with this relay's URL filled in" } },
    async (_request, reply) => {
      let script: string;
      try {
        script = await readFile(deps.scriptFile, "utf8");
      } catch {
        app.log.error(`install: cannot read ${deps.scriptFile}`);
        return reply.code(503).type("text/plain").send("install.sh is missing from this relay's installation\n");
      }
      try {
        const body = fillInstallScript(script, deps.publicUrl());
        return reply.type("text/x-shellscript; charset=utf-8").header("cache-control", "no-store").send(body);
      } catch (error) {
        if (!(error instanceof InstallScriptError)) throw error;
        app.log.error(`install: ${error.reason}: ${error.message}`);
        return reply.code(500).type("text/plain").send(`${error.message}\n`);
      }
    },
  );

  app.get<{ Params: { file: string } }>(
    "/downloads/:file",
    { config: { access: "public", summary: "Agent artifacts and their .sha256 files (no secrets)" } },
    async (request, reply) => {
      const { file } = request.params;
      const notFound = () =>
        reply.code(404).send({
          error: "not_found",
          message: `no download named ${file}; the relay serves what \`npm run package\` put in ${deps.downloadsDir}`,
        });
      if (!isDownloadName(file)) return notFound();
      const path = join(deps.downloadsDir, file);
      const info = await stat(path).catch(() => null);
      if (!info?.isFile()) return notFound();
      return reply
        .type(file.endsWith(".sha256") ? "text/plain; charset=utf-8" : "application/gzip")
        .header("content-length", info.size)
        .header("cache-control", file.endsWith(".tar.gz") ? "public, max-age=86400, immutable" : "no-cache")
        .send(createReadStream(path));
    },
  );
}
