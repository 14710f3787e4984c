// Which item the outbox gives up first when it is full. Pure. Samples (health, telemetry) are replaced by the
// next one within 30 s anyway; a graph is superseded by a later graph; events are the record and go last.

import type { OutboxItem } from "../../common/protocol/index.js";

export type ReportKind = OutboxItem["report"]["kind"];

/** Lower drops first. */
const VALUE: Record<ReportKind, number> = { telemetry: 0, health: 1, graph: 2, event: 3 };

/**
 * Index of the item to drop from `items` (oldest first): the oldest of the lowest-value kind. The newest graph
 * (the current topology) outlives samples and older graphs, but not events: the graph is re-read on every start.
 */
export function victimIndex(items: readonly OutboxItem[]): number {
  if (items.length === 0) return -1;
  let newestGraph = -1;
  for (let i = items.length - 1; i >= 0; i--) {
    if (items[i]?.report.kind === "graph") {
      newestGraph = i;
      break;
    }
  }
  let best = -1;
  let bestValue = Number.POSITIVE_INFINITY;
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as OutboxItem;
    let value = VALUE[item.report.kind];
    if (i === newestGraph) value = VALUE.event - 0.5;
    if (value < bestValue) {
      best = i;
      bestValue = value;
    }
  }
  return best;
}
