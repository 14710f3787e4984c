import type { Static, TSchema } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { AgentToRelaySchema, RelayToAgentSchema } from "./messages.js";

export class ProtocolError extends Error {
  constructor(
    readonly reason: "malformed_json" | "invalid_message",
    message: string,
  ) {
    super(message);
    this.name = "ProtocolError";
  }
}

/** Builds a decoder that parses JSON text and checks it against a schema, throwing `ProtocolError` with the first problem. */
export function jsonDecoder<T extends TSchema>(schema: T): (text: string) => Static<T> {
  const check = TypeCompiler.Compile(schema);
  return (text) => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new ProtocolError("malformed_json", "message is not valid JSON");
    }
    if (!check.Check(value)) {
      const first = check.Errors(value).First();
      throw new ProtocolError("invalid_message", `${first?.path || "/"}: ${first?.message ?? "does not match schema"}`);
    }
    return value;
  };
}

export const decodeAgentMessage = jsonDecoder(AgentToRelaySchema);
export const decodeRelayMessage = jsonDecoder(RelayToAgentSchema);
