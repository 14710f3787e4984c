import { type Static, Type } from "@sinclair/typebox";

export const CollectorTypeSchema = Type.Union([Type.Literal("alloy"), Type.Literal("otelcol-contrib")]);

export const EnrollRequestSchema = Type.Object(
  {
    token: Type.String({ minLength: 1, maxLength: 200 }),
    hostname: Type.String({ minLength: 1, maxLength: 253 }),
    collectorType: CollectorTypeSchema,
    collectorVersion: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);
export type EnrollRequest = Static<typeof EnrollRequestSchema>;

export const EnrollResponseSchema = Type.Object({
  collectorId: Type.String(),
  /** May only push OTLP for this collector; goes into the collector's config. */
  collectorToken: Type.String(),
  /** May only open this collector's agent WebSocket. */
  agentToken: Type.String(),
  /** Where the collector pushes its self-telemetry (the relay's public OTLP/HTTP endpoint). */
  otlpEndpoint: Type.String(),
});
export type EnrollResponse = Static<typeof EnrollResponseSchema>;

/** The path the agent WebSocket lives on. */
export const AGENT_LINK_PATH = "/v1/agent";
export const ENROLL_PATH = "/api/v1/enroll";
export const OTLP_METRICS_PATH = "/v1/metrics";
