// A TCP load balancer for replica tests: each new connection goes to the next live target (round robin);
// a target that refuses is skipped, as a real balancer's health check would.

import { connect, createServer, type Server, type Socket } from "node:net";

export interface Balancer {
  url: string;
  /** Where connections go; change at any time. */
  targets: string[];
  /** Connections each target accepted so far. */
  accepted: Map<string, number>;
  close(): Promise<void>;
}

export async function startBalancer(targets: string[] = []): Promise<Balancer> {
  const sockets = new Set<Socket>();
  let next = 0;
  const balancer: Balancer = {
    url: "",
    targets,
    accepted: new Map(),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  const tryTarget = (client: Socket, attempt: number) => {
    const list = balancer.targets;
    if (attempt >= list.length || list.length === 0) {
      client.destroy();
      return;
    }
    const target = list[next++ % list.length] as string;
    const { hostname, port } = new URL(target);
    const upstream = connect(Number(port), hostname);
    sockets.add(upstream);
    upstream.once("error", () => {
      upstream.destroy();
      sockets.delete(upstream);
      if (!upstream.remoteAddress || upstream.bytesRead === 0) tryTarget(client, attempt + 1);
      else client.destroy();
    });
    upstream.once("connect", () => {
      balancer.accepted.set(target, (balancer.accepted.get(target) ?? 0) + 1);
      upstream.removeAllListeners("error");
      upstream.on("error", () => client.destroy());
      client.on("error", () => upstream.destroy());
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
  };
  const server: Server = createServer({ pauseOnConnect: true }, (client) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    tryTarget(client, 0);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  balancer.url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  return balancer;
}
