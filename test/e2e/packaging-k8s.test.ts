// The Kubernetes manifests and the relay image, checked against what the cluster and the relay need: kubectl's
// client-side dry run needs a cluster's OpenAPI, so the fields that matter are checked here from the parsed YAML.

import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { REPO_ROOT } from "../rig/index.js";

type Doc = Record<string, unknown>;
const K8S = join(REPO_ROOT, "packaging/k8s");

/** Follows a dotted path through parsed YAML (numbers index arrays); undefined when any step is missing. */
function at(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split(".")) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

describe("Kubernetes manifests (packaging/k8s)", () => {
  let docs: Doc[];
  const find = (kind: string) => {
    const found = docs.filter((d) => d.kind === kind);
    expect(found, kind).toHaveLength(1);
    return found[0] as Doc;
  };

  beforeAll(async () => {
    docs = [];
    for (const file of (await readdir(K8S)).filter((f) => f.endsWith(".yaml"))) {
      for (const doc of parseAllDocuments(await readFile(join(K8S, file), "utf8"))) {
        expect(doc.errors, file).toEqual([]);
        docs.push(doc.toJS() as Doc);
      }
    }
  });

  it("every object has apiVersion, kind and a name, in the linkmesh namespace", () => {
    expect(docs.map((d) => d.kind).sort()).toEqual(
      ["Deployment", "Namespace", "PersistentVolumeClaim", "Secret", "Service"].sort(),
    );
    for (const doc of docs) {
      expect(doc.apiVersion, String(doc.kind)).toMatch(/^(v1|apps\/v1)$/);
      expect(at(doc, "metadata.name"), String(doc.kind)).toMatch(/^[a-z0-9-]+$/);
      if (doc.kind !== "Namespace") expect(at(doc, "metadata.namespace"), String(doc.kind)).toBe("linkmesh");
    }
    expect(at(find("Namespace"), "metadata.name")).toBe("linkmesh");
  });

  it("deploy/linkmesh-server: one non-root pod with probes on /healthz, resources and the SQLite volume", () => {
    const deploy = find("Deployment");
    expect(at(deploy, "metadata.name")).toBe("linkmesh-server");
    expect(at(deploy, "spec.replicas")).toBe(1);
    expect(at(deploy, "spec.strategy.type")).toBe("Recreate");
    const podLabels = at(deploy, "spec.template.metadata.labels") as Record<string, string>;
    expect(podLabels).toMatchObject(at(deploy, "spec.selector.matchLabels") as Record<string, string>);

    const pod = at(deploy, "spec.template.spec");
    expect(at(pod, "securityContext.runAsNonRoot")).toBe(true);
    expect(at(pod, "securityContext.runAsUser")).toBeGreaterThan(0);
    const containers = at(pod, "containers") as Doc[];
    expect(containers).toHaveLength(1);
    const c = containers[0];
    expect(at(c, "securityContext.allowPrivilegeEscalation")).toBe(false);
    expect(at(c, "securityContext.readOnlyRootFilesystem")).toBe(true);
    expect(at(c, "securityContext.capabilities.drop")).toEqual(["ALL"]);
    for (const key of ["requests.cpu", "requests.memory", "limits.cpu", "limits.memory"]) {
      expect(at(c, `resources.${key}`), key).toBeDefined();
    }

    const ports = at(c, "ports") as { name: string; containerPort: number }[];
    const env = Object.fromEntries(
      (at(c, "env") as { name: string; value?: string; valueFrom?: unknown }[]).map((e) => [e.name, e]),
    );
    expect(env.LINKMESH_LISTEN?.value).toBe(`0.0.0.0:${ports[0]?.containerPort}`);
    for (const probe of ["readinessProbe", "livenessProbe"]) {
      expect(at(c, `${probe}.httpGet.path`), probe).toBe("/healthz");
      expect([ports[0]?.name, ports[0]?.containerPort], probe).toContain(at(c, `${probe}.httpGet.port`));
    }

    // The operator token comes from the Secret, by a key the Secret has.
    const secret = find("Secret");
    const ref = at(env.LINKMESH_ADMIN_TOKEN, "valueFrom.secretKeyRef") as { name: string; key: string };
    expect(ref.name).toBe(at(secret, "metadata.name"));
    expect(Object.keys((at(secret, "stringData") ?? at(secret, "data")) as object)).toContain(ref.key);

    // The database lives on the PVC.
    const pvc = find("PersistentVolumeClaim");
    const volumes = at(pod, "volumes") as { name: string; persistentVolumeClaim?: { claimName: string } }[];
    const data = volumes.find((v) => v.persistentVolumeClaim?.claimName === at(pvc, "metadata.name"));
    expect(data).toBeDefined();
    const mount = (at(c, "volumeMounts") as { name: string; mountPath: string }[]).find((m) => m.name === data?.name);
    expect(env.LINKMESH_DB?.value).toMatch(new RegExp(`^sqlite:${mount?.mountPath}/`));
    expect(at(pvc, "spec.accessModes")).toEqual(["ReadWriteOnce"]);
  });

  it("the Service reaches the pod's port", () => {
    const service = find("Service");
    const deploy = find("Deployment");
    expect(at(service, "metadata.name")).toBe("linkmesh-server");
    expect(at(deploy, "spec.template.metadata.labels")).toMatchObject(at(service, "spec.selector") as object);
    const target = at(service, "spec.ports.0.targetPort");
    const port = at(deploy, "spec.template.spec.containers.0.ports.0") as { name: string; containerPort: number };
    expect([port.name, port.containerPort]).toContain(target);
  });
});

describe("the relay image (packaging/Dockerfile)", () => {
  it("runs dist/relay.js as a non-root user with install.sh and the agent artifacts beside it", async () => {
    const text = await readFile(join(REPO_ROOT, "packaging/Dockerfile"), "utf8");
    const lines = text.split("\n").filter((l) => !l.startsWith("#"));
    const stages = lines.filter((l) => l.startsWith("FROM "));
    expect(stages.at(-1)).toMatch(/^FROM node:(20|22)-/);
    const final = text.slice(text.lastIndexOf("\nFROM "));
    expect(final).toMatch(/^USER (?!0|root)\S+/m);
    expect(final).toMatch(/^EXPOSE 8080$/m);
    expect(final).toMatch(/^CMD \["node", "dist\/relay\.js"\]$/m);
    expect(final).toContain("./packaging/install.sh");
    expect(final).toContain("./dist/packages");
    expect(text).toContain("npm run package");
  });
});
