import { execFile } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import t from 'tap'

const repoRoot = fileURLToPath(new URL('../..', import.meta.url))
const lister = fileURLToPath(new URL('loaded-modules.mjs', import.meta.url))
const ioPackages = ['amqplib', 'fastify', 'ioredis', 'mongodb', 'better-sqlite3', '@opentelemetry/']

/** The npm packages a fresh Node process loads when it imports `specifier` (from the built dist). */
async function packagesLoadedBy(specifier: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)(process.execPath, [lister, specifier], { cwd: repoRoot })
  const urls = JSON.parse(stdout) as string[]
  const names = urls.flatMap((url) => {
    const match = /.*\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)
    return match?.[1] === undefined ? [] : [match[1]]
  })
  return [...new Set(names)].sort()
}

function ioPackagesAmong(packages: string[]): string[] {
  return packages.filter((name) => ioPackages.some((io) => (io.endsWith('/') ? name.startsWith(io) : name === io)))
}

const contractModules = readdirSync(new URL('../../shared/contracts/src', import.meta.url))
  .filter((file) => file.endsWith('.ts') && file !== 'index.ts')
  .map((file) => `@restaurant/contracts/${file.replace(/\.ts$/, '')}`)

t.test('importing any module of the contracts package loads no I/O library', async (t) => {
  t.ok(contractModules.length >= 10, 'every module of the package is checked')
  for (const specifier of contractModules) {
    const packages = await packagesLoadedBy(specifier)
    t.same(ioPackagesAmong(packages), [], `${specifier} loaded: ${packages.join(', ')}`)
  }
})

t.test('the check sees an I/O library when one is loaded: the RabbitMQ bus loads amqplib', async (t) => {
  const packages = await packagesLoadedBy('@restaurant/platform/messaging/rabbit-bus')
  t.ok(ioPackagesAmong(packages).includes('amqplib'), `loaded: ${packages.join(', ')}`)
})
