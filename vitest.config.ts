import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "test/**/*.test.ts",
      "common/**/*.test.ts",
      "agent/**/*.test.ts",
      "relay/**/*.test.ts",
      "ui/**/*.test.ts",
    ],
    globalSetup: ["test/rig/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: end-to-end suites start real processes, so keep file parallelism modest.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
