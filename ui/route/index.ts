// Hash routes of the operator UI: #/topology, #/collectors, #/collectors/<id>[/events|/diagnostics], #/enroll.
// Pure parse/format so links and the shell agree; no history API (the relay serves only `/`).

export type CollectorTab = "graph" | "events" | "diagnostics";
const TABS: readonly CollectorTab[] = ["events", "diagnostics"];

export type Route =
  | { page: "topology" }
  | { page: "collectors" }
  | { page: "collector"; id: string; tab: CollectorTab }
  | { page: "enroll" };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
  const [first, id, tab] = parts;
  if (first === "collectors" && id) return { page: "collector", id, tab: TABS.find((t) => t === tab) ?? "graph" };
  if (first === "collectors") return { page: "collectors" };
  if (first === "enroll") return { page: "enroll" };
  return { page: "topology" };
}

export function hrefOf(route: Route): string {
  switch (route.page) {
    case "topology":
      return "#/topology";
    case "collectors":
      return "#/collectors";
    case "enroll":
      return "#/enroll";
    case "collector":
      return `#/collectors/${encodeURIComponent(route.id)}${route.tab === "graph" ? "" : `/${route.tab}`}`;
  }
}
