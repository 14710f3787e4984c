// The living demo: a relay plus a simulated fleet (real agent processes beside collector stand-ins) on one machine.
// `npm run demo` drives it from main.ts; tests and benchmarks start the same fleet through startFleet.

export { OtelcolSimulator } from "../test/sim/otelcol.js";
export { DEFAULT_FLEET_OPTIONS, type Fleet, type FleetHost, type FleetOptions, startFleet } from "./fleet.js";
export {
  type AlloyHostPlan,
  BROKEN_CASES,
  BROKEN_STORY,
  type BrokenCase,
  drifting,
  type HostPlan,
  type OtelcolHostPlan,
  planFleet,
} from "./plan.js";
