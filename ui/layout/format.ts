// Human units for rates and ages: 1.2k/s, 2 m. One place so canvas, lists and tests agree.

const UNITS = [
  { at: 1e9, suffix: "G" },
  { at: 1e6, suffix: "M" },
  { at: 1e3, suffix: "k" },
] as const;

function trim(n: number, digits: number): string {
  return n
    .toFixed(digits)
    .replace(/\.0+$/, "")
    .replace(/(\.\d*?)0+$/, "$1");
}

/** Records per second in human units: 0/s, 0.25/s, 4.5/s, 950/s, 1.2k/s, 12k/s, 3.4M/s. */
export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return "–";
  const sign = perSecond < 0 ? "-" : "";
  const n = Math.abs(perSecond);
  if (n === 0) return "0/s";
  for (const unit of UNITS) {
    const scaled = n / unit.at;
    // 999.96 rounds to "1000" with one decimal: promote it to the next unit instead.
    if (n >= unit.at * 0.9995) return `${sign}${trim(scaled, scaled < 10 ? 1 : 0)}${unit.suffix}/s`;
  }
  if (n >= 9.95) {
    const r = Math.round(n);
    return r >= 1000 ? `${sign}1k/s` : `${sign}${r}/s`;
  }
  if (n >= 1) return `${sign}${trim(n, 1)}/s`;
  if (n >= 0.01) return `${sign}${trim(n, 2)}/s`;
  return `${sign}<0.01/s`;
}

/** A duration in the largest sensible unit: "45 s", "2 m", "3 h", "4 d". */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h`;
  return `${Math.floor(h / 24)} d`;
}

/** Bytes in binary units: 512 B, 1.5 GiB. */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let n = bytes;
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${i === 0 ? Math.round(n) : trim(n, n < 10 ? 1 : 0)} ${units[i]}`;
}
