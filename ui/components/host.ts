// Turns a collector's host metrics (whatever names the relay keys them by) into the three numbers the list shows.
import { formatAge, formatBytes } from "../layout/index.js";

function first(metrics: Record<string, number>, names: string[]): number | undefined {
  for (const n of names) if (metrics[n] !== undefined) return metrics[n];
  return undefined;
}

/** CPU %, memory, uptime as display text; "–" when the host has not reported it. */
export function hostSummary(
  metrics: Record<string, number>,
  now = Date.now(),
): { cpu: string; memory: string; uptime: string } {
  const cpu = first(metrics, ["cpu_utilization", "system.cpu.utilization", "cpu"]);
  const memRatio = first(metrics, ["memory_utilization", "system.memory.utilization"]);
  const memBytes = first(metrics, ["memory_usage_bytes", "system.memory.usage", "process_rss_bytes"]);
  const started = first(metrics, ["process_start_time_seconds"]);
  const uptime =
    first(metrics, ["uptime_seconds", "system.uptime", "process_uptime_seconds"]) ??
    (started === undefined ? undefined : Math.max(0, now / 1000 - started));
  const pct = (r: number) => `${(r <= 1 ? r * 100 : r).toFixed(0)} %`;
  return {
    cpu: cpu === undefined ? "–" : pct(cpu),
    memory: memRatio !== undefined ? pct(memRatio) : memBytes !== undefined ? formatBytes(memBytes) : "–",
    uptime: uptime === undefined ? "–" : formatAge(uptime * 1000),
  };
}

/** "12 s ago" relative to `now`; "never" for null. */
export function ago(at: number | null, now: number): string {
  return at === null ? "never" : `${formatAge(now - at)} ago`;
}
