import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import t from 'tap'

const repoRoot = fileURLToPath(new URL('../..', import.meta.url))
const depcruise = join(repoRoot, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs')
const config = join(repoRoot, '.dependency-cruiser.cjs')

interface Violation {
  type: string
  from: string
  to: string
  unresolvedTo?: string
  cycle?: { name: string }[]
  rule: { name: string }
}

function describe(violation: Violation): string {
  if (violation.cycle !== undefined) return `${violation.rule.name}: ${[violation.from, ...violation.cycle.map((step) => step.name)].join(' → ')}`
  const to = violation.to.includes('node_modules/') ? (violation.unresolvedTo ?? violation.to) : violation.to
  return `${violation.rule.name}: ${violation.from} → ${to}`
}

/** The layer rules' violations among the source folders of a tree (paths relative to `cwd`). */
async function violationsIn(cwd: string, folders: string[]): Promise<string[]> {
  const args = [depcruise, '--config', config, '--output-type', 'json', ...folders]
  // tap's TS_NODE_PROJECT names a file relative to the repository, which dependency-cruiser would look for in `cwd`.
  const env = { ...process.env, TS_NODE_PROJECT: undefined }
  // dependency-cruiser exits with the number of errors it found, so a failed exit still carries the report.
  const { stdout, stderr } = await promisify(execFile)(process.execPath, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 }).catch(
    (error: { stdout: string; stderr: string }) => error,
  )
  if (stdout === '') throw new Error(stderr)
  const report = JSON.parse(stdout) as { summary: { violations: Violation[] } }
  return report.summary.violations.map(describe)
}

const sourceFolders = ['services/kitchen/src', 'services/waiter/src', 'shared/contracts/src', 'shared/platform/src', 'gateway/src']

t.test('the source tree keeps its layers: pure domain, use cases on ports, services apart, data-only contracts, no cycles', async (t) => {
  const violations = await violationsIn(repoRoot, sourceFolders)
  t.same(violations, [], 'no import crosses a layer (each violation: rule: from → to)')
})

t.test('each rule refuses the import it is about', async (t) => {
  const dir = t.testdir({
    services: {
      waiter: {
        src: {
          domain: { 'rule.ts': "import { readFileSync } from 'node:fs'\nexport const rule = readFileSync\n" },
          'use-cases': {
            'place.ts': "import { store } from '../adapters/store.js'\nexport const place = store\n",
            'cancel.ts': "import { fastify } from 'fastify'\nexport const cancel = fastify\n",
          },
          adapters: {
            'store.ts': "import { route } from '../http/route.js'\nexport const store = route\n",
          },
          http: { 'route.ts': "import { kitchen } from '../../../kitchen/src/kitchen.js'\nexport const route = kitchen\n" },
        },
      },
      kitchen: {
        src: {
          'kitchen.ts': "import { loop } from './loop.js'\nexport const kitchen = loop\n",
          'loop.ts': "import { kitchen } from './kitchen.js'\nexport const loop = () => kitchen\n",
        },
      },
    },
    gateway: { src: { 'app.ts': "import { bus } from '../../shared/platform/src/messaging/bus.js'\nexport const app = bus\n" } },
    shared: {
      platform: { src: { messaging: { 'bus.ts': 'export const bus = 1\n' } } },
      contracts: { src: { 'schema.ts': "import { connect } from 'amqplib'\nexport const schema = connect\n" } },
    },
  })
  const violations = await violationsIn(dir, ['services', 'gateway', 'shared'])
  t.same(violations.sort(), [
    'adapters-below-http: services/waiter/src/adapters/store.ts → services/waiter/src/http/route.ts',
    'contracts-are-data: shared/contracts/src/schema.ts → amqplib',
    'domain-is-pure: services/waiter/src/domain/rule.ts → fs',
    'gateway-without-messaging: gateway/src/app.ts → shared/platform/src/messaging/bus.ts',
    'no-circular: services/kitchen/src/kitchen.ts → services/kitchen/src/loop.ts → services/kitchen/src/kitchen.ts',
    'services-apart: services/waiter/src/http/route.ts → services/kitchen/src/kitchen.ts',
    'use-cases-use-ports: services/waiter/src/use-cases/cancel.ts → fastify',
    'use-cases-use-ports: services/waiter/src/use-cases/place.ts → services/waiter/src/adapters/store.ts',
  ])
})
