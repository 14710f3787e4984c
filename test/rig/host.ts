// A sandbox host: a `--root` enrolled by the real `linkmesh-agent enroll` against a relay, beside the Alloy
// stand-in with its own real journal; the agent daemon runs as a child process with its output kept.

import type { ChildProcess } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { AlloySimulator, type SimComponent } from "../sim/alloy.js";
import { type AgentRun, runAgent, spawnAgent } from "./agent.js";
import { JournalWriter } from "./journal.js";
import { tempDir } from "./paths.js";
import { mintEnrollmentToken, type RelayProcess } from "./relay.js";

export interface SandboxHostOptions {
  hostname: string;
  components: SimComponent[];
  /** Written to etc/alloy/config.alloy before enrolling: the operator's own Alloy config. */
  operatorConfig?: string;
  /** More `linkmesh-agent enroll` flags, e.g. `--no-bootstrap`. */
  enrollFlags?: string[];
}

export interface SandboxHost {
  hostname: string;
  root: string;
  journalDir: string;
  journal: JournalWriter;
  alloy: AlloySimulator;
  alloyUrl: string;
  collectorId: string;
  /** What `linkmesh-agent enroll` printed (it exited 0). */
  enrolled: AgentRun;
  agent: ChildProcess | null;
  /** The running agent's stdout and stderr so far. */
  output: string;
}

/** Starts the Alloy stand-in (listening, "Alloy is starting" in its journal) and enrolls the host; throws if enroll fails. */
export async function enrollSandboxHost(relay: RelayProcess, options: SandboxHostOptions): Promise<SandboxHost> {
  const root = await tempDir("host");
  const journalDir = await tempDir("journal");
  await mkdir(journalDir, { recursive: true });
  const journal = new JournalWriter(journalDir);
  const alloy = new AlloySimulator({ hostname: options.hostname, components: options.components, journal });
  const alloyUrl = await alloy.listen();
  await alloy.log("info", "Alloy is starting");
  if (options.operatorConfig !== undefined) {
    await mkdir(join(root, "etc/alloy"), { recursive: true });
    await writeFile(join(root, "etc/alloy/config.alloy"), options.operatorConfig);
  }
  const token = await mintEnrollmentToken(relay, { expiresIn: "1h", maxUses: 1 });
  const enrolled = await runAgent(root, [
    "enroll",
    "--server",
    relay.url,
    "--token",
    token,
    "--hostname",
    options.hostname,
    "--collector-http",
    alloyUrl,
    ...(options.enrollFlags ?? []),
  ]);
  if (enrolled.code !== 0) throw new Error(`enroll exited ${enrolled.code}: ${enrolled.stderr}`);
  const settings = JSON.parse(await readFile(join(root, "etc/linkmesh/agent.json"), "utf8")) as { collectorId: string };
  const { hostname } = options;
  return {
    hostname,
    root,
    journalDir,
    journal,
    alloy,
    alloyUrl,
    collectorId: settings.collectorId,
    enrolled,
    agent: null,
    output: "",
  };
}

/** Spawns `linkmesh-agent <args>` on the host (reading its journal), collecting its output into `host.output`. */
export function startHostAgent(host: SandboxHost, args: string[]): ChildProcess {
  const child = spawnAgent(host.root, args, { journalDir: host.journalDir });
  child.stdout?.on("data", (c: Buffer) => {
    host.output += c.toString();
  });
  child.stderr?.on("data", (c: Buffer) => {
    host.output += c.toString();
  });
  host.agent = child;
  return child;
}

/** SIGTERMs the host's agent and waits for it; its exit code (undefined when none was running). */
export async function stopHostAgent(host: SandboxHost): Promise<number | null | undefined> {
  const child = host.agent;
  host.agent = null;
  if (!child || child.exitCode !== null) return undefined;
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  child.kill("SIGTERM");
  return exited;
}
