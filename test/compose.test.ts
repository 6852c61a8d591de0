import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { parse } from 'yaml'
import { gatewayConfigSchema, loadGatewayConfig } from '../gateway/src/config.js'
import { kitchenConfigSchema, loadKitchenConfig } from '../services/kitchen/src/config.js'
import { loadWaiterConfig, waiterConfigSchema } from '../services/waiter/src/config.js'

// No Docker engine runs here, so the compose file is checked against the code instead of being started.
interface ComposeService {
  image?: string
  build?: { context: string; args?: Record<string, string> }
  depends_on?: Record<string, { condition?: string }>
  environment?: Record<string, string | number | boolean>
  ports?: string[]
  restart?: string
  healthcheck?: { test: string[] }
}

const root = fileURLToPath(new URL('..', import.meta.url))
const readText = (file: string) => readFileSync(join(root, file), 'utf8')
const compose = parse(readText('docker-compose.yml')) as { services: Record<string, ComposeService> }
const services = compose.services

const apps = {
  gateway: { schema: gatewayConfigSchema, load: loadGatewayConfig },
  waiter: { schema: waiterConfigSchema, load: loadWaiterConfig },
  kitchen: { schema: kitchenConfigSchema, load: loadKitchenConfig },
}
type AppName = keyof typeof apps
const appNames = Object.keys(apps) as AppName[]
const schemas: Record<string, object>[] = appNames.map((name) => apps[name].schema)
/** The ports the official images listen on; the apps' ports come from their PORT. */
const imagePorts: Record<string, number> = { rabbitmq: 5672, mongo: 27017, redis: 6379 }

function service(name: string): ComposeService {
  const found = services[name]
  if (!found) throw new Error(`no service "${name}" in docker-compose.yml`)
  return found
}

function environmentOf(name: string): Record<string, string> {
  return Object.fromEntries(Object.entries(service(name).environment ?? {}).map(([key, value]) => [key, String(value)]))
}

/** What compose hands the container when the shell sets none of the variables: `${NAME:-fallback}` → fallback. */
function withFallbacks(value: string): string {
  return value.replace(/\$\{\w+:-([^}]*)\}/g, (_match, fallback: string) => fallback)
}

function containerPort(name: string): number | undefined {
  const port = name in apps ? environmentOf(name).PORT : imagePorts[name]
  return port === undefined ? undefined : Number(port)
}

function urlsOf(name: string): { key: string; url: URL }[] {
  return Object.entries(environmentOf(name))
    .filter(([key]) => key.endsWith('_URL'))
    .map(([key, value]) => ({ key, url: new URL(value) }))
}

function run(file: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: root }, (err, stdout, stderr) => {
      resolve({ code: err ? Number(err.code ?? 1) : 0, output: stdout + stderr })
    })
  })
}

function envExampleVariables(): Map<string, string> {
  const lines = readText('.env.example').split('\n')
  const entries = lines.flatMap((line) => {
    const match = /^#?\s*([A-Z][A-Z0-9_]*)=(.*)$/.exec(line)
    return match?.[1] === undefined ? [] : [[match[1], match[2] ?? ''] as const]
  })
  return new Map(entries)
}

t.test('the stack has the three apps and the three services they need', async (t) => {
  t.same(Object.keys(services).sort(), ['gateway', 'kitchen', 'mongo', 'rabbitmq', 'redis', 'waiter'])
})

t.test('every variable the compose file sets is one the service reads', async (t) => {
  for (const name of appNames) {
    const read = Object.keys(apps[name].schema)
    for (const key of Object.keys(environmentOf(name))) t.ok(read.includes(key), `${name} reads ${key}`)
  }
})

t.test('the environment compose gives each app passes its config validation', async (t) => {
  for (const name of appNames) {
    const env = Object.fromEntries(Object.entries(environmentOf(name)).map(([key, value]) => [key, withFallbacks(value)]))
    for (const [key, value] of Object.entries(env)) t.notMatch(value, /\$/, `${name} ${key} has a fallback`)
    t.doesNotThrow(() => apps[name].load(env), `${name} accepts its environment`)
  }
})

t.test('each app listens on all interfaces, on the port its healthcheck probes', async (t) => {
  for (const name of appNames) {
    const env = environmentOf(name)
    t.equal(env.HOST, '0.0.0.0', `${name} HOST`)
    const probe = service(name).healthcheck?.test.join(' ') ?? ''
    t.match(probe, `http://127.0.0.1:${env.PORT}/health`, `${name} healthcheck`)
  }
})

t.test('every URL names a service of the stack and the port that service listens on', async (t) => {
  for (const name of appNames) {
    for (const { key, url } of urlsOf(name)) {
      t.ok(url.hostname in services, `${name} ${key} names a service`)
      t.equal(Number(url.port), containerPort(url.hostname), `${name} ${key} port`)
    }
  }
})

t.test('an app waits for every service its URLs point at', async (t) => {
  for (const name of appNames) {
    const awaited = Object.keys(service(name).depends_on ?? {})
    for (const { key, url } of urlsOf(name)) t.ok(awaited.includes(url.hostname), `${name} waits for ${key}`)
  }
})

t.test('every dependency is a service with a healthcheck, awaited until healthy', async (t) => {
  for (const [name, { depends_on: dependencies = {} }] of Object.entries(services)) {
    for (const [dependency, { condition }] of Object.entries(dependencies)) {
      t.equal(condition, 'service_healthy', `${name} → ${dependency}`)
      t.ok(services[dependency]?.healthcheck?.test.length, `${dependency} has a healthcheck`)
    }
  }
})

t.test('every app is built from its own package folder of the workspace', async (t) => {
  t.match(readText('Dockerfile'), /^ARG SERVICE$/m)
  for (const name of appNames) {
    const folder = service(name).build?.args?.SERVICE ?? ''
    const manifest = join(root, folder, 'package.json')
    t.ok(existsSync(manifest), `${name} SERVICE=${folder} is a package folder`)
    if (existsSync(manifest)) t.equal(JSON.parse(readFileSync(manifest, 'utf8')).name, `@restaurant/${name}`)
  }
})

t.test('only the gateway and the RabbitMQ management UI are published, on loopback', async (t) => {
  const published = Object.entries(services).flatMap(([name, { ports = [] }]) => ports.map((port) => `${name} ${port}`))
  t.same(published.sort(), [`gateway 127.0.0.1:3000:${environmentOf('gateway').PORT}`, 'rabbitmq 127.0.0.1:15672:15672'])
})

t.test('every service comes back after a crash or a reboot unless stopped', async (t) => {
  for (const [name, { restart }] of Object.entries(services)) t.equal(restart, 'unless-stopped', name)
})

t.test('.env.example lists every variable the services read, and nothing else', async (t) => {
  const listed = [...envExampleVariables().keys()].sort()
  const read = [...new Set(schemas.flatMap((schema) => Object.keys(schema)))].sort()
  t.same(listed, read)
})

t.test('each value in .env.example is the default of a service that reads it', async (t) => {
  for (const [key, value] of envExampleVariables()) {
    const defaults = schemas.flatMap((schema) => {
      const fallback = (schema[key] as { default?: unknown } | undefined)?.default
      return fallback === undefined ? [] : [String(fallback)]
    })
    if (defaults.length > 0) t.ok(defaults.includes(value), `${key}=${value} is one of ${defaults.join(', ')}`)
  }
})

t.test('dclint finds neither an error nor a warning in the compose file', async (t) => {
  const dclint = join(root, 'node_modules/.bin/dclint')
  const { code, output } = await run(dclint, ['docker-compose.yml', '--max-warnings', '0', '--no-color'])
  t.equal(code, 0, output)
})
