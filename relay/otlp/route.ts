import { promisify } from "node:util";
import { gunzip, gunzipSync } from "node:zlib";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { OTLP_METRICS_PATH } from "../../common/protocol/index.js";
import { bearerFrom, type RejectReason } from "../auth/index.js";
import type { CollectorRecord, Store } from "../store/index.js";
import type { CredentialCache } from "./credential-cache.js";
import { decodeJsonMetrics, decodeProtobufMetrics, type MetricPoint, OtlpDecodeError } from "./decode.js";
import { EMPTY_EXPORT_RESPONSE } from "./proto.js";
import { AttributeCache } from "./wire-metrics.js";

const gunzipAsync = promisify(gunzip);

/** Receives decoded points of an authenticated push (rates, host metrics, topology live here). */
export interface OtlpSink {
  ingest(collector: CollectorRecord, points: MetricPoint[], receivedAt: number): Promise<void>;
}

export interface OtlpDeps {
  store: Store;
  sink: OtlpSink;
  credentials: CredentialCache;
  now: () => number;
  /** Compressed body limit; the decompressed limit is 8x this. */
  maxBodyBytes?: number;
}

const PROTOBUF = "application/x-protobuf";
const SYNC_GUNZIP_MAX = 64 * 1024;
const JSON_TYPE = "application/json";

function fail(reply: FastifyReply, status: number, reason: string, message: string) {
  return reply.code(status).type("application/json").send({ error: reason, message });
}

/** POST /v1/metrics: OTLP/HTTP (protobuf or JSON, optional gzip), authenticated by a collector token. */
export async function otlpRoutes(app: FastifyInstance, deps: OtlpDeps): Promise<void> {
  const maxBody = deps.maxBodyBytes ?? 4 * 1024 * 1024;
  const maxInflated = maxBody * 8;
  // Shared by all collectors: a record is a function of its bytes alone, whoever sent them.
  const attributeCache = new AttributeCache();

  // Bodies stay raw buffers here: decompression and decoding happen after authentication.
  app.addContentTypeParser([PROTOBUF, JSON_TYPE], { parseAs: "buffer", bodyLimit: maxBody }, (_req, body, done) =>
    done(null, body),
  );

  const reject = async (request: FastifyRequest, reply: FastifyReply, reason: RejectReason, collectorId?: string) => {
    request.log.warn({ remote: request.ip }, `otlp.auth: rejected reason=${reason}`);
    if (collectorId) await recordRejection(deps, collectorId, reason);
    return fail(reply, 401, reason, "the bearer token is missing, malformed, unknown, revoked or expired; re-enrol");
  };

  app.post(OTLP_METRICS_PATH, { config: { access: "collector" } }, async (request, reply) => {
    const auth = await deps.credentials.authenticate(bearerFrom(request.headers.authorization), deps.now());
    if (!auth.ok) {
      if (auth.reason === "unknown_collector") {
        request.log.warn({ remote: request.ip }, "otlp.dispatch: unknown collectorId");
        return fail(reply, 401, "unknown_collector", "this collector was deregistered; re-enrol to recreate it");
      }
      return reject(request, reply, auth.reason, "collectorId" in auth ? auth.collectorId : undefined);
    }
    const collector = auth.collector;

    const contentType = (request.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
    if (contentType !== PROTOBUF && contentType !== JSON_TYPE) {
      return fail(reply, 415, "unsupported_media_type", `send ${PROTOBUF} or ${JSON_TYPE}`);
    }
    let body = request.body instanceof Buffer ? request.body : Buffer.alloc(0);
    const encoding = (request.headers["content-encoding"] ?? "identity").toLowerCase();
    if (encoding === "gzip") {
      try {
        // Small bodies inflate faster inline than through the thread pool.
        body =
          body.length <= SYNC_GUNZIP_MAX
            ? gunzipSync(body, { maxOutputLength: maxInflated })
            : await gunzipAsync(body, { maxOutputLength: maxInflated });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") {
          return fail(reply, 413, "payload_too_large", `decompressed body exceeds ${maxInflated} bytes`);
        }
        return fail(reply, 400, "bad_gzip", "Content-Encoding is gzip but the body does not inflate");
      }
    } else if (encoding !== "identity") {
      return fail(reply, 415, "unsupported_encoding", "Content-Encoding must be gzip or identity");
    }

    let points: MetricPoint[];
    try {
      points = contentType === PROTOBUF ? decodeProtobufMetrics(body, attributeCache) : decodeJsonMetrics(body);
    } catch (error) {
      if (error instanceof OtlpDecodeError) return fail(reply, 400, error.reason, error.message);
      throw error;
    }
    await deps.sink.ingest(collector, points, deps.now());
    // An empty body is a valid ExportMetricsServiceResponse; JSON callers get `{}`.
    if (contentType === JSON_TYPE) return reply.code(200).type(JSON_TYPE).send("{}");
    return reply.code(200).type(PROTOBUF).send(EMPTY_EXPORT_RESPONSE);
  });
}

async function recordRejection(deps: OtlpDeps, collectorId: string, reason: RejectReason): Promise<void> {
  const collector = await deps.store.getCollector(collectorId);
  if (!collector) return;
  const at = deps.now();
  await deps.store.updateCollector(collectorId, { lastRejection: { reason, at } });
  await deps.store.addEvent({
    collectorId,
    type: "auth_rejected",
    severity: "error",
    message: `OTLP push rejected: ${reason}`,
    detail: { reason },
    time: at,
  });
}
