// Every host path the agent touches, prefixed by `--root` (env LINKMESH_ROOT) so tests and the demo can run
// many agents on one machine without touching the real /etc.

import { join } from "node:path";

export interface HostPaths {
  root: string;
  linkmeshConfigDir: string;
  /** Agent settings: collector id, relay URL (no secrets). */
  agentConfigFile: string;
  /** The agent token (0600). */
  agentTokenFile: string;
  stateDir: string;
  outboxDir: string;
  agentLogFile: string;
  alloyConfigDir: string;
  alloyConfigFile: string;
  /** The collector token Alloy reads with local.file (no trailing newline). */
  alloyTokenFile: string;
  otelcolStateDir: string;
  /** The collector token for the OpAMP supervisor's `server.headers` (otelcol-contrib hosts). */
  otelcolTokenFile: string;
  otelcolConfigFile: string;
  /** The journald cursor after the last entry the agent read. */
  journalCursorFile: string;
}

export function hostPaths(root = "/"): HostPaths {
  const at = (...parts: string[]) => join(root, ...parts);
  return {
    root,
    linkmeshConfigDir: at("etc/linkmesh"),
    agentConfigFile: at("etc/linkmesh/agent.json"),
    agentTokenFile: at("etc/linkmesh/agent.token"),
    stateDir: at("var/lib/linkmesh"),
    outboxDir: at("var/lib/linkmesh/outbox"),
    agentLogFile: at("var/log/linkmesh/agent.log"),
    alloyConfigDir: at("etc/alloy"),
    alloyConfigFile: at("etc/alloy/config.alloy"),
    alloyTokenFile: at("etc/alloy/linkmesh.token"),
    otelcolStateDir: at("var/lib/otelcol-contrib"),
    otelcolTokenFile: at("etc/otelcol-contrib/linkmesh.token"),
    otelcolConfigFile: at("etc/otelcol-contrib/config.yaml"),
    journalCursorFile: at("var/lib/linkmesh/journal.cursor"),
  };
}
