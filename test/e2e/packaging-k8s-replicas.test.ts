// The replicated Kubernetes variant (packaging/k8s/replicas-postgres): 3 relay pods on a PostgreSQL URL from a
// Secret, no SQLite volume, and the shared objects (namespace, operator Secret, Service) it relies on.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { REPO_ROOT } from "../rig/index.js";

type Doc = Record<string, unknown>;
const K8S = join(REPO_ROOT, "packaging/k8s");

async function load(dir: string): Promise<Doc[]> {
  const docs: Doc[] = [];
  for (const file of (await readdir(dir)).filter((f) => f.endsWith(".yaml"))) {
    for (const doc of parseAllDocuments(await readFile(join(dir, file), "utf8"))) {
      expect(doc.errors, file).toEqual([]);
      docs.push(doc.toJS() as Doc);
    }
  }
  return docs;
}

function at(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split(".")) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

describe("Kubernetes manifests for replicas on PostgreSQL (packaging/k8s/replicas-postgres)", () => {
  it("runs 3 replicas with LINKMESH_DB from a Secret key that exists, and no volume claim", async () => {
    const docs = await load(join(K8S, "replicas-postgres"));
    const shared = await load(K8S);
    const deploy = docs.find((d) => d.kind === "Deployment");
    expect(at(deploy, "spec.replicas")).toBe(3);
    expect(at(deploy, "spec.strategy.type")).toBe("RollingUpdate");
    const pod = at(deploy, "spec.template.spec");
    expect(JSON.stringify(pod)).not.toContain("persistentVolumeClaim");
    const env = at(pod, "containers.0.env") as { name: string; value?: string; valueFrom?: unknown }[];
    const db = env.find((e) => e.name === "LINKMESH_DB");
    const ref = at(db, "valueFrom.secretKeyRef") as { name: string; key: string };
    const secret = docs.find((d) => d.kind === "Secret" && at(d, "metadata.name") === ref.name);
    expect(String(at(secret, `stringData.${ref.key}`))).toMatch(/^postgres:\/\//);
    // The operator Secret and the Service come from the shared files and select these pods.
    const admin = at(
      env.find((e) => e.name === "LINKMESH_ADMIN_TOKEN"),
      "valueFrom.secretKeyRef",
    ) as { name: string };
    expect(shared.some((d) => d.kind === "Secret" && at(d, "metadata.name") === admin.name)).toBe(true);
    const service = shared.find((d) => d.kind === "Service");
    expect(at(deploy, "spec.template.metadata.labels")).toMatchObject(at(service, "spec.selector") as object);
    for (const d of docs) expect(at(d, "metadata.namespace")).toBe("linkmesh");
  });
});
