// AgentToServer bytes -> a validated plain message, and ServerToAgent plain message -> bytes.
// Pure: everything from the network is `unknown` until checked here; malformed input is an OpampDecodeError.

import { AgentToServerType, ServerToAgentType } from "./proto.js";

export type OpampDecodeReason = "bad_frame" | "bad_protobuf" | "bad_instance_uid";

export class OpampDecodeError extends Error {
  constructor(
    readonly reason: OpampDecodeReason,
    message: string,
  ) {
    super(message);
    this.name = "OpampDecodeError";
  }
}

export type Attributes = Record<string, string>;

export interface AgentDescription {
  identifying: Attributes;
  nonIdentifying: Attributes;
}

export interface AgentHealth {
  healthy: boolean;
  status: string;
  lastError: string;
}

export interface ConfigFile {
  /** The AgentConfigMap key; `""` for a single-file config. */
  name: string;
  contentType: string;
  body: string;
}

export interface AgentToServer {
  instanceUid: Uint8Array;
  /** Canonical UUID text of `instanceUid`. */
  uid: string;
  sequenceNum: bigint;
  capabilities: number;
  flags: number;
  description?: AgentDescription;
  health?: AgentHealth;
  effectiveConfig?: ConfigFile[];
  disconnect: boolean;
}

export interface TelemetryOffer {
  destinationEndpoint: string;
  headers: { key: string; value: string }[];
}

export interface ServerToAgent {
  instanceUid: Uint8Array;
  flags?: number;
  capabilities?: number;
  errorResponse?: { type: number; message: string };
  connectionSettings?: { hash: Uint8Array; ownMetrics: TelemetryOffer };
  newInstanceUid?: Uint8Array;
}

/** Attribute values kept per key; OpAMP allows arbitrary AnyValues, labels are short strings. */
const MAX_VALUE_LENGTH = 253;
const MAX_ATTRIBUTES = 64;
/** Effective configs larger than this are not parsed (a real otelcol config is a few KiB). */
const MAX_CONFIG_BYTES = 2 * 1024 * 1024;

export function uuidText(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

function bigintOf(value: unknown): bigint {
  if (typeof value === "string" && /^\d+$/.test(value)) return BigInt(value);
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  return 0n;
}

/** uint64 bit fields: only the low 32 bits carry defined flags/capabilities. */
function bitsOf(value: unknown): number {
  return Number(bigintOf(value) & 0xffffffffn);
}

function anyValueText(value: unknown, depth = 0): string {
  if (!isRecord(value) || depth > 4) return "";
  if (typeof value.stringValue === "string") return value.stringValue;
  if (typeof value.boolValue === "boolean") return String(value.boolValue);
  if (value.intValue !== undefined) return String(value.intValue);
  if (typeof value.doubleValue === "number") return String(value.doubleValue);
  if (value.bytesValue instanceof Uint8Array) return Buffer.from(value.bytesValue).toString("base64");
  const array = isRecord(value.arrayValue) ? value.arrayValue.values : undefined;
  if (Array.isArray(array)) return array.map((v) => anyValueText(v, depth + 1)).join(",");
  return "";
}

function attributes(list: unknown): Attributes {
  const out: Attributes = {};
  if (!Array.isArray(list)) return out;
  for (const kv of list.slice(0, MAX_ATTRIBUTES)) {
    if (!isRecord(kv) || typeof kv.key !== "string" || kv.key === "" || kv.key.length > 63) continue;
    out[kv.key] = anyValueText(kv.value).slice(0, MAX_VALUE_LENGTH);
  }
  return out;
}

function health(value: unknown): AgentHealth | undefined {
  if (!isRecord(value)) return undefined;
  return {
    healthy: value.healthy === true,
    status: typeof value.status === "string" ? value.status.slice(0, MAX_VALUE_LENGTH) : "",
    lastError: typeof value.lastError === "string" ? value.lastError.slice(0, 2000) : "",
  };
}

function configFiles(value: unknown): ConfigFile[] | undefined {
  if (!isRecord(value)) return undefined;
  const map = isRecord(value.configMap) ? value.configMap.configMap : undefined;
  if (!isRecord(map)) return [];
  const files: ConfigFile[] = [];
  for (const [name, file] of Object.entries(map)) {
    if (!isRecord(file)) continue;
    const body = file.body instanceof Uint8Array ? file.body : new Uint8Array();
    if (body.length > MAX_CONFIG_BYTES) continue;
    const contentType = typeof file.contentType === "string" ? file.contentType : "";
    files.push({ name, contentType, body: Buffer.from(body).toString("utf8") });
  }
  return files;
}

/** Decodes one AgentToServer protobuf. Throws OpampDecodeError, never anything else. */
export function decodeAgentToServer(bytes: Uint8Array): AgentToServer {
  let raw: unknown;
  try {
    raw = AgentToServerType.toObject(AgentToServerType.decode(bytes), { longs: String, defaults: false });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new OpampDecodeError("bad_protobuf", `the body is not an OpAMP AgentToServer message: ${detail}`);
  }
  if (!isRecord(raw)) throw new OpampDecodeError("bad_protobuf", "the body is not an OpAMP AgentToServer message");
  const uid = raw.instanceUid;
  if (!(uid instanceof Uint8Array) || uid.length !== 16) {
    throw new OpampDecodeError("bad_instance_uid", "instance_uid must be 16 bytes (a UUID)");
  }
  const message: AgentToServer = {
    instanceUid: new Uint8Array(uid),
    uid: uuidText(uid),
    sequenceNum: bigintOf(raw.sequenceNum),
    capabilities: bitsOf(raw.capabilities),
    flags: bitsOf(raw.flags),
    disconnect: isRecord(raw.agentDisconnect),
  };
  if (isRecord(raw.agentDescription)) {
    message.description = {
      identifying: attributes(raw.agentDescription.identifyingAttributes),
      nonIdentifying: attributes(raw.agentDescription.nonIdentifyingAttributes),
    };
  }
  const h = health(raw.health);
  if (h) message.health = h;
  const files = configFiles(raw.effectiveConfig);
  if (files) message.effectiveConfig = files;
  return message;
}

export function encodeServerToAgent(message: ServerToAgent): Uint8Array {
  const plain: Record<string, unknown> = { instanceUid: message.instanceUid };
  if (message.errorResponse) {
    plain.errorResponse = { type: message.errorResponse.type, errorMessage: message.errorResponse.message };
    return ServerToAgentType.encode(ServerToAgentType.fromObject(plain)).finish();
  }
  if (message.flags) plain.flags = message.flags;
  if (message.capabilities) plain.capabilities = message.capabilities;
  if (message.newInstanceUid) plain.agentIdentification = { newInstanceUid: message.newInstanceUid };
  if (message.connectionSettings) {
    plain.connectionSettings = {
      hash: message.connectionSettings.hash,
      ownMetrics: {
        destinationEndpoint: message.connectionSettings.ownMetrics.destinationEndpoint,
        headers: { headers: message.connectionSettings.ownMetrics.headers },
      },
    };
  }
  return ServerToAgentType.encode(ServerToAgentType.fromObject(plain)).finish();
}
