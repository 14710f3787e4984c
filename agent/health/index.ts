// Host health the agent reports every 30 s: CPU utilisation since the last sample, memory, uptime, disk of the
// root filesystem. Reads node:os and statfs; the CPU maths is a pure function over two samples.

import { statfs } from "node:fs/promises";
import { arch, cpus, freemem, hostname, platform, release, totalmem, uptime } from "node:os";
import type { HostFacts, HostHealth } from "../../common/protocol/index.js";

export interface CpuTimes {
  idle: number;
  total: number;
}

export function cpuTimes(): CpuTimes {
  let idle = 0;
  let total = 0;
  for (const cpu of cpus()) {
    const t = cpu.times;
    idle += t.idle;
    total += t.user + t.nice + t.sys + t.idle + t.irq;
  }
  return { idle, total };
}

/** Busy fraction (0..1) of all cores between two samples; 0 when no time passed. */
export function cpuUtilization(before: CpuTimes, after: CpuTimes): number {
  const total = after.total - before.total;
  if (total <= 0) return 0;
  const busy = total - (after.idle - before.idle);
  return Math.min(1, Math.max(0, busy / total));
}

export class HostHealthSampler {
  private last = cpuTimes();

  /** `diskPath`: the filesystem to measure (`--root`, so tests measure their sandbox). */
  constructor(private readonly diskPath: string) {}

  async sample(): Promise<HostHealth> {
    const now = cpuTimes();
    const cpu = cpuUtilization(this.last, now);
    this.last = now;
    let diskTotal = 0;
    let diskUsed = 0;
    try {
      const fs = await statfs(this.diskPath);
      diskTotal = fs.blocks * fs.bsize;
      diskUsed = (fs.blocks - fs.bfree) * fs.bsize;
    } catch {
      // not measurable (e.g. the path vanished): report 0 rather than fail the whole sample
    }
    const total = totalmem();
    return {
      cpuUtilization: cpu,
      memoryUsedBytes: total - freemem(),
      memoryTotalBytes: total,
      uptimeSeconds: uptime(),
      diskUsedBytes: diskUsed,
      diskTotalBytes: diskTotal,
    };
  }
}

export function hostFacts(name: string = hostname()): HostFacts {
  return { hostname: name, os: platform(), arch: arch(), kernel: release() };
}
