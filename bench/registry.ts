// The benchmark registry: each row is a named async function returning its numbers, its target and whether it
// met it. `npm run bench` runs them all (or `-- --only <name>`), prints them and writes bench/out/results.json.

export interface BenchResult {
  /** Measured numbers, by label (units in the label: `pushes/s`, `p99 ms`). */
  numbers: Record<string, number | string>;
  /** The target in words, e.g. "relay/bare >= 0.5". */
  target: string;
  pass: boolean;
  /** Anything a reader needs to interpret the numbers. */
  notes?: string;
}

export interface BenchRow extends BenchResult {
  name: string;
  rerun: string;
  at: string;
}

export interface BenchDefinition {
  name: string;
  run(): Promise<BenchResult>;
}

const definitions: BenchDefinition[] = [];

export function registerBench(definition: BenchDefinition): void {
  if (definitions.some((d) => d.name === definition.name)) throw new Error(`bench ${definition.name} registered twice`);
  definitions.push(definition);
}

export function registeredBenches(): readonly BenchDefinition[] {
  return definitions;
}

export function rerunCommand(name: string): string {
  return `npm run bench -- --only "${name}"`;
}
