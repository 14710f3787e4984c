// Enrollment: operators mint enrollment tokens; hosts exchange one for a CollectorID and two least-privilege
// credentials (collector token for OTLP pushes, agent token for the agent link).

import { randomUUID } from "node:crypto";
import { type Static, Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import {
  ENROLL_PATH,
  type EnrollRequest,
  EnrollRequestSchema,
  type EnrollResponse,
  OTLP_METRICS_PATH,
} from "../../common/protocol/index.js";
import type { OperatorCheck } from "../auth/index.js";
import { mintCollectorCredentials, mintToken, parseDuration, parseToken, secretMatches } from "../auth/index.js";
import type { Store } from "../store/index.js";

const MintRequestSchema = Type.Object(
  {
    expiresIn: Type.Optional(Type.String({ pattern: "^\\d+[smhd]$" })),
    maxUses: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    labels: Type.Optional(Type.Record(Type.String({ maxLength: 63 }), Type.String({ maxLength: 253 }))),
  },
  { additionalProperties: false },
);

const DEFAULT_TOKEN_TTL = "24h";

export interface EnrollDeps {
  store: Store;
  operator: OperatorCheck;
  publicUrl: () => string;
  now: () => number;
}

export async function enrollRoutes(app: FastifyInstance, deps: EnrollDeps): Promise<void> {
  const { store, operator, now } = deps;

  app.post<{ Body: Static<typeof MintRequestSchema> }>(
    "/api/v1/tokens",
    { schema: { body: MintRequestSchema }, preHandler: operator, config: { access: "operator" } },
    async (request, reply) => {
      const ttl = parseDuration(request.body?.expiresIn ?? DEFAULT_TOKEN_TTL) ?? 0;
      const minted = mintToken("enrollment");
      const createdAt = now();
      const expiresAt = createdAt + ttl;
      await store.createEnrollmentToken({
        id: minted.id,
        secretHash: minted.secretHash,
        createdAt,
        expiresAt,
        maxUses: request.body?.maxUses ?? 1,
        uses: 0,
        labels: request.body?.labels ?? {},
        revokedAt: null,
      });
      return reply.code(201).send({ id: minted.id, token: minted.token, expiresAt: new Date(expiresAt).toISOString() });
    },
  );

  app.get("/api/v1/tokens", { preHandler: operator, config: { access: "operator" } }, async () => {
    const tokens = await store.listEnrollmentTokens();
    const at = now();
    return {
      tokens: tokens.map((t) => ({
        id: t.id,
        createdAt: new Date(t.createdAt).toISOString(),
        expiresAt: new Date(t.expiresAt).toISOString(),
        maxUses: t.maxUses,
        uses: t.uses,
        labels: t.labels,
        state:
          t.revokedAt !== null ? "revoked" : t.expiresAt <= at ? "expired" : t.uses >= t.maxUses ? "used_up" : "active",
      })),
    };
  });

  app.delete<{ Params: { id: string } }>(
    "/api/v1/tokens/:id",
    { preHandler: operator, config: { access: "operator" } },
    async (request, reply) => {
      const revoked = await store.revokeEnrollmentToken(request.params.id, now());
      if (!revoked) return reply.code(404).send({ error: "not_found", message: "no active token with that id" });
      return reply.code(204).send();
    },
  );

  app.post<{ Body: EnrollRequest }>(
    ENROLL_PATH,
    { schema: { body: EnrollRequestSchema }, config: { access: "enrollment" } },
    async (request, reply) => {
      const parsed = parseToken(request.body.token);
      if (parsed?.kind !== "enrollment") {
        return reply.code(401).send({
          error: "invalid_enrollment_token",
          message: "that is not a LinkMesh enrollment token (it starts with lme_); mint one in the UI under Enroll",
        });
      }
      const at = now();
      const listed = await store.getEnrollmentToken(parsed.id);
      if (!listed || !secretMatches(parsed.secret, listed.secretHash)) {
        return reply.code(401).send({ error: "invalid_enrollment_token", message: "unknown enrollment token" });
      }
      const consumed = await store.consumeEnrollmentToken(parsed.id, at);
      if (!consumed.ok) {
        return reply.code(401).send({
          error: "invalid_enrollment_token",
          message: `enrollment token is ${consumed.reason.replace("_", " ")}; mint a fresh one`,
        });
      }
      const { collectorToken, agentToken, records: credentials } = mintCollectorCredentials(at);
      const { collector, replaced } = await store.enrollCollector({
        newId: randomUUID(),
        hostname: request.body.hostname,
        type: request.body.collectorType,
        version: request.body.collectorVersion ?? null,
        labels: consumed.token.labels,
        now: at,
        credentials,
      });
      await store.addEvent({
        collectorId: collector.id,
        type: "registered",
        severity: "info",
        message: replaced
          ? `${collector.hostname} re-enrolled; previous credentials revoked`
          : `${collector.hostname} enrolled as ${collector.type}`,
        detail: { hostname: collector.hostname, collectorType: collector.type, enrollmentTokenId: parsed.id, replaced },
        time: at,
      });
      const body: EnrollResponse = {
        collectorId: collector.id,
        collectorToken: collectorToken.token,
        agentToken: agentToken.token,
        otlpEndpoint: `${deps.publicUrl()}${OTLP_METRICS_PATH}`,
      };
      return reply.code(201).send(body);
    },
  );
}
