// Sequence-number bookkeeping for one agent instance (opamp-spec §AgentToServer.sequence_num). Pure.

/**
 * True when the server must set ReportFullState: a gap after the last seen number, or a first message from an
 * instance the relay has no state for that does not carry its description (the relay restarted mid-stream).
 */
export function needsFullState(lastSeq: bigint | null, seq: bigint, carriesDescription: boolean): boolean {
  if (lastSeq === null) return !carriesDescription;
  return seq !== lastSeq + 1n;
}
