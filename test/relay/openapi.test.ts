import { describe, expect, it } from "vitest";
import { startTestRelay } from "./harness.js";

describe("OpenAPI document", () => {
  it("is served publicly, documents the topology schema and says who may call every route", async () => {
    const { relay } = await startTestRelay();
    const response = await relay.app.inject({ url: "/api/v1/openapi.json" });
    expect(response.statusCode).toBe(200);
    const doc = response.json() as {
      openapi: string;
      paths: Record<string, Record<string, { "x-linkmesh-access": string; responses: Record<string, unknown> }>>;
    };
    expect(doc.openapi).toBe("3.1.0");
    const topology = doc.paths["/api/v1/topology"]?.get;
    expect(topology?.["x-linkmesh-access"]).toBe("operator");
    expect(JSON.stringify(topology?.responses)).toContain("ratePerSecond");
    expect(doc.paths["/v1/metrics"]?.post?.["x-linkmesh-access"]).toBe("collector");
    expect(doc.paths["/v1/agent"]?.get?.["x-linkmesh-access"]).toBe("agent");
    expect(doc.paths["/api/v1/collectors/{id}"]?.delete?.["x-linkmesh-access"]).toBe("operator");
    expect(doc.paths["/v1/opamp"]?.post?.["x-linkmesh-access"]).toBe("opamp");
    expect(doc.paths["/install.sh"]?.get?.["x-linkmesh-access"]).toBe("public");
    expect(relay.routes.undeclared()).toEqual([]);
    await relay.close();
  });
});
