// Mutation testing of the services' pure rules and use cases: `pnpm run mutation` (slow; not part of `npm test`).
// Stryker's tap runner starts `node` on each test file itself, not the tap CLI, so it is given tap's TypeScript
// loader here (found through tap, which depends on it). The script sets that loader's TS_NODE_PROJECT, and
// TS_NODE_TRANSPILE_ONLY as the tap CLI does by default (type-checking each run tripled its start-up).
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'

const tapPackage = createRequire(import.meta.url).resolve('tap/package.json')
const tapTypescript = dirname(createRequire(tapPackage).resolve('@tapjs/typescript/package.json'))
const typescriptLoader = pathToFileURL(join(tapTypescript, 'dist/esm/import.mjs')).href

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'tap',
  plugins: ['@stryker-mutator/tap-runner'],
  mutate: ['services/*/src/domain/**/*.ts', 'services/*/src/use-cases/**/*.ts'],
  // Unit tests only: integration tests need the machine's services and would be run once per mutant.
  tap: {
    testFiles: ['services/*/test/domain/**/*.test.ts', 'services/*/test/use-cases/**/*.test.ts'],
    nodeArgs: [`--import=${typescriptLoader}`],
  },
  coverageAnalysis: 'perTest',
  concurrency: 2,
  timeoutMS: 10000,
  reporters: ['clear-text', 'progress', 'html'],
  thresholds: { high: 80, low: 70, break: null },
  ignorePatterns: ['bench', 'docs', 'observability', 'test-output', 'data', 'dist', '.tap', 'test/browser', 'test/faults'],
}
