import { execFile } from 'node:child_process'
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

t.test('importing the contracts package loads no I/O library', async (t) => {
  const packages = await packagesLoadedBy('@restaurant/contracts')
  t.same(ioPackagesAmong(packages), [], `loaded: ${packages.join(', ')}`)
})

t.test('importing the contracts test builders loads no I/O library', async (t) => {
  const packages = await packagesLoadedBy('@restaurant/contracts/testing')
  t.same(ioPackagesAmong(packages), [], `loaded: ${packages.join(', ')}`)
})

t.test('the check sees an I/O library when one is loaded: the RabbitMQ bus loads amqplib', async (t) => {
  const packages = await packagesLoadedBy('@restaurant/platform/messaging/rabbit-bus')
  t.ok(ioPackagesAmong(packages).includes('amqplib'), `loaded: ${packages.join(', ')}`)
})
