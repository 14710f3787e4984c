// `linkmesh-agent enroll`: exchanges an enrollment token for a CollectorID and two credentials, and stores them
// (agent token 0600 under /etc/linkmesh, collector token for the collector without a trailing newline).

import { readFile } from "node:fs/promises";
import { hostname as osHostname } from "node:os";
import type { CollectorType } from "../../common/model/index.js";
import {
  ENROLL_PATH,
  type EnrollRequest,
  type EnrollResponse,
  EnrollResponseSchema,
  jsonDecoder,
} from "../../common/protocol/index.js";
import { writeFileAtomic } from "../files/index.js";
import type { HostPaths } from "../paths/index.js";

export class EnrollError extends Error {
  constructor(
    readonly reason: "relay_unreachable" | "token_rejected" | "relay_error" | "bad_response",
    message: string,
  ) {
    super(message);
    this.name = "EnrollError";
  }
}

/** What the agent keeps between runs (no secrets: those live in their own 0600 files). */
export interface AgentSettings {
  collectorId: string;
  relayUrl: string;
  otlpEndpoint: string;
  collectorType: CollectorType;
  hostname: string;
  enrolledAt: string;
}

const decodeEnrollResponse = jsonDecoder(EnrollResponseSchema);

export async function enroll(options: {
  server: string;
  token: string;
  collectorType: CollectorType;
  paths: HostPaths;
  hostname?: string;
  log?: (line: string) => void;
}): Promise<AgentSettings> {
  const log = options.log ?? (() => {});
  const relayUrl = options.server.replace(/\/+$/, "");
  const hostname = options.hostname ?? osHostname();
  const body: EnrollRequest = { token: options.token, hostname, collectorType: options.collectorType };
  log(`enrolling ${hostname} (${options.collectorType}) with ${relayUrl}`);
  let response: Response;
  try {
    response = await fetch(`${relayUrl}${ENROLL_PATH}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
    throw new EnrollError(
      "relay_unreachable",
      `cannot reach the relay at ${relayUrl} (${cause}); check the URL, DNS and firewall`,
    );
  }
  const text = await response.text();
  if (response.status === 401 || response.status === 400) {
    const detail = safeMessage(text);
    throw new EnrollError("token_rejected", `the relay refused the enrollment: ${detail}`);
  }
  if (response.status !== 201 && response.status !== 200) {
    throw new EnrollError("relay_error", `the relay answered HTTP ${response.status}: ${safeMessage(text)}`);
  }
  let enrolled: EnrollResponse;
  try {
    enrolled = decodeEnrollResponse(text);
  } catch (error) {
    throw new EnrollError("bad_response", `unexpected enrollment answer: ${(error as Error).message}`);
  }
  const settings: AgentSettings = {
    collectorId: enrolled.collectorId,
    relayUrl,
    otlpEndpoint: enrolled.otlpEndpoint,
    collectorType: options.collectorType,
    hostname,
    enrolledAt: new Date().toISOString(),
  };
  await writeFileAtomic(options.paths.agentTokenFile, enrolled.agentToken, { mode: 0o600 });
  log(`stored the agent token in ${options.paths.agentTokenFile}`);
  if (options.collectorType === "alloy") {
    // Alloy sends local.file content verbatim: a trailing newline would break the Authorization header.
    await writeFileAtomic(options.paths.alloyTokenFile, enrolled.collectorToken, { mode: 0o640 });
    log(`stored the collector token in ${options.paths.alloyTokenFile}`);
  } else {
    // The OpAMP supervisor presents this token; the relay then offers own_metrics with it (no second enrollment).
    await writeFileAtomic(options.paths.otelcolTokenFile, enrolled.collectorToken, { mode: 0o640 });
    log(`stored the collector token in ${options.paths.otelcolTokenFile}`);
    log(
      `point the OpAMP supervisor at ${relayUrl.replace(/^http/, "ws")}/v1/opamp with the header ` +
        `"Authorization: Bearer <contents of ${options.paths.otelcolTokenFile}>" (server.headers in its config)`,
    );
  }
  await writeFileAtomic(options.paths.agentConfigFile, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o644 });
  log(`enrolled: collector id ${settings.collectorId}`);
  return settings;
}

export async function readSettings(paths: HostPaths): Promise<AgentSettings | null> {
  try {
    return JSON.parse(await readFile(paths.agentConfigFile, "utf8")) as AgentSettings;
  } catch {
    return null;
  }
}

function safeMessage(text: string): string {
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    if (typeof parsed.message === "string") return parsed.message;
  } catch {
    // not JSON: fall through to the raw text
  }
  return text.slice(0, 200);
}
