import { describe, expect, it } from "vitest";
import { hrefOf, parseRoute, type Route } from "./index.js";

describe("hash routes", () => {
  it.each<[string, Route]>([
    ["", { page: "topology" }],
    ["#/", { page: "topology" }],
    ["#/nowhere", { page: "topology" }],
    ["#/collectors", { page: "collectors" }],
    ["#/collectors/abc", { page: "collector", id: "abc", tab: "graph" }],
    ["#/collectors/a%2Fb/events", { page: "collector", id: "a/b", tab: "events" }],
    ["#/collectors/abc/diagnostics", { page: "collector", id: "abc", tab: "diagnostics" }],
    ["#/collectors/abc/nonsense", { page: "collector", id: "abc", tab: "graph" }],
    ["#/enroll", { page: "enroll" }],
  ])("%j -> %j", (hash, route) => expect(parseRoute(hash)).toEqual(route));

  it.each<Route>([
    { page: "topology" },
    { page: "collectors" },
    { page: "enroll" },
    { page: "collector", id: "c/1", tab: "events" },
    { page: "collector", id: "c1", tab: "graph" },
    { page: "collector", id: "c1", tab: "diagnostics" },
  ])("hrefOf %j parses back to itself", (route) => expect(parseRoute(hrefOf(route))).toEqual(route));
});
