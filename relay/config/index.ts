// Relay settings from flags and environment (the public interface: keep these names stable).
// Pure: takes argv-derived options and env, returns a validated config or a ConfigError saying what to fix.

export interface RelayConfig {
  host: string;
  port: number;
  dbUrl: string;
  /** What agents and collectors are told to use to reach this relay; `null` = the address it listens on. */
  publicUrl: string | null;
  /** Operator secret from LINKMESH_ADMIN_TOKEN; when unset one is generated on first start. */
  adminToken: string | null;
  /** Where the built UI assets are served from. */
  uiDir: string;
}

export class ConfigError extends Error {
  readonly reason = "invalid_config";
}

export interface RelayFlags {
  listen?: string;
  db?: string;
  publicUrl?: string;
}

export const DEFAULT_LISTEN = "127.0.0.1:8080";
export const DEFAULT_DB = "sqlite:./data/linkmesh.db";

export function parseListen(listen: string): { host: string; port: number } {
  const match = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(listen);
  const port = Number(match?.[2]);
  if (!match || port > 65535)
    throw new ConfigError(`--listen must be HOST:PORT (e.g. ${DEFAULT_LISTEN}); got "${listen}"`);
  return { host: (match[1] ?? "").replace(/^\[|\]$/g, ""), port };
}

export function resolveRelayConfig(flags: RelayFlags, env: NodeJS.ProcessEnv, uiDir: string): RelayConfig {
  const { host, port } = parseListen(flags.listen ?? env.LINKMESH_LISTEN ?? DEFAULT_LISTEN);
  const dbUrl = flags.db ?? env.LINKMESH_DB ?? DEFAULT_DB;
  const publicUrl = (flags.publicUrl ?? env.LINKMESH_PUBLIC_URL)?.replace(/\/+$/, "") ?? null;
  if (publicUrl !== null && !/^https?:\/\/[^/]+/.test(publicUrl)) {
    throw new ConfigError(
      `--public-url must be an absolute http(s) URL such as https://relay.example.net; got "${publicUrl}"`,
    );
  }
  const adminToken = env.LINKMESH_ADMIN_TOKEN?.trim() || null;
  return { host, port, dbUrl, publicUrl, adminToken, uiDir };
}

/** The URL a relay listening on host:port is reachable at from this machine (used when --public-url is unset). */
export function defaultPublicUrl(host: string, port: number): string {
  const hostForUrl = host.includes(":") ? `[${host}]` : host === "0.0.0.0" ? "127.0.0.1" : host;
  return `http://${hostForUrl}:${port}`;
}
