import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import t from 'tap'
import { assertProbesOnInternalPortOnly } from '../../test/support/probes.js'
import { startService } from '../../test/support/processes.js'
import { startUpstream } from './upstream.js'

const gatewayDir = fileURLToPath(new URL('..', import.meta.url))

/** The packages (among `watched`) that importing `modules` loads, read from the module cache of a fresh process. */
async function packagesLoadedBy(modules: string[], watched: string[]): Promise<string[]> {
  const script = `
    import { createRequire } from 'node:module'
    for (const module of ${JSON.stringify(modules)}) await import(module)
    const loaded = Object.keys(createRequire(import.meta.url).cache)
    console.log(JSON.stringify(${JSON.stringify(watched)}.filter((name) => loaded.some((path) => path.includes('/node_modules/' + name + '/')))))`
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: gatewayDir })
  return JSON.parse(stdout) as string[]
}

// What main.ts imports, short of running the service.
const entryImports = ['./src/app.ts', './src/config.ts', '@restaurant/platform/redis/redis', '@restaurant/platform/runtime/metrics', '@restaurant/platform/runtime/run-service']

t.test('the gateway holds no domain rules: starting it loads neither the message broker client nor a database driver', async (t) => {
  t.same(await packagesLoadedBy(entryImports, ['amqplib', 'mongodb', 'fastify']), ['fastify'], 'fastify shows the check sees what is loaded')
})

t.test('the gateway serves its probes and metrics on INTERNAL_PORT, none on its public PORT', async (t) => {
  const { url } = await startUpstream(t)
  const gateway = await startService('gateway', { WAITER_URL: url, KITCHEN_URL: url, REDIS_PREFIX: `test-gateway-main-${process.pid}:` })
  t.teardown(() => gateway.stop())
  await assertProbesOnInternalPortOnly(t, gateway)
})
