// Colours and sizes of the canvas drawing, chosen for contrast on a light background (WCAG AA for text).

export const THEME = {
  background: "#f4f6fa",
  frameFill: "#ffffff",
  frameStroke: "#c3ccda",
  frameSelected: "#1d4ed8",
  headerText: "#0f172a",
  detailText: "#475467",
  nodeFill: "#f8fafc",
  nodeStroke: "#94a3b8",
  nodeText: "#0f172a",
  kind: { source: "#15803d", processor: "#475569", pipeline: "#1d4ed8", destination: "#c2410c", collector: "#1d4ed8" },
  status: { healthy: "#15803d", degraded: "#b45309", no_telemetry: "#64748b", agent_offline: "#b91c1c" } as Record<
    string,
    string
  >,
  active: "#2563eb",
  agent: "#0f766e",
  inactive: "#8a94a6",
  failed: "#b91c1c",
  labelFill: "#ffffff",
  labelText: "#0f172a",
  hover: "#f59e0b",
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  /** Stroke width (world px) for width steps 1..5. */
  widths: [0, 1.5, 3, 4.5, 6.5, 9] as const,
} as const;
