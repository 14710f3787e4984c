/** Why a request to an agent could not be answered; `reason` is for machines, the message for people. */
export type AgentRequestErrorReason = "agent_offline" | "agent_request_timeout" | "agent_request_failed";

export class AgentRequestError extends Error {
  constructor(
    readonly reason: AgentRequestErrorReason,
    message: string,
  ) {
    super(message);
    this.name = "AgentRequestError";
  }
}

export function agentOffline(collectorId: string, detail = "it has no live link to this relay"): AgentRequestError {
  return new AgentRequestError(
    "agent_offline",
    `The agent of collector ${collectorId} is offline (${detail}). Check that linkmesh-agent runs on the host ` +
      "(systemctl status linkmesh-agent) and can reach the relay, then retry.",
  );
}
