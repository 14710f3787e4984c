// What the relay keeps from an AgentDescription: hostname, version and labels of the collector record. Pure.

import type { AgentDescription, Attributes } from "./messages.js";

/** Label under which the OpAMP instance uid is kept on the collector: it ties later connections to the record. */
export const INSTANCE_UID_LABEL = "opamp.instance_uid";
export const HEALTH_LABEL = "opamp.health";
export const STATUS_LABEL = "opamp.status";

export interface DescribedCollector {
  hostname: string;
  version: string | null;
  /** Identifying and non-identifying attributes (the latter win on a clash), plus the instance uid. */
  labels: Attributes;
}

const HOSTNAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/;

export function describeAgent(description: AgentDescription | undefined, uid: string): DescribedCollector {
  const identifying = description?.identifying ?? {};
  const nonIdentifying = description?.nonIdentifying ?? {};
  const hostName = nonIdentifying["host.name"] ?? identifying["host.name"] ?? "";
  const version = identifying["service.version"] ?? nonIdentifying["service.version"] ?? "";
  return {
    hostname: HOSTNAME.test(hostName) ? hostName : uid,
    version: version === "" ? null : version,
    labels: { ...identifying, ...nonIdentifying, [INSTANCE_UID_LABEL]: uid },
  };
}
