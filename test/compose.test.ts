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
  volumes?: string[]
  restart?: string
  healthcheck?: { test: string[] }
  profiles?: string[]
}

interface ScrapeConfig {
  job_name: string
  metrics_path?: string
  scrape_interval?: string
  static_configs?: { targets: string[] }[]
}

interface DashboardPanel {
  type: string
  title: string
  datasource?: { uid?: string }
  targets?: { expr: string; datasource?: { uid?: string } }[]
  /** A collapsed row keeps its panels here. */
  panels?: DashboardPanel[]
}

const root = fileURLToPath(new URL('..', import.meta.url))
const readText = (file: string) => readFileSync(join(root, file), 'utf8')
const compose = parse(readText('docker-compose.yml')) as { services: Record<string, ComposeService> }
const services = compose.services
/** What `docker compose up` starts; `--profile observability` adds the rest. */
const defaultServices = Object.fromEntries(Object.entries(services).filter(([, { profiles }]) => profiles === undefined))

const apps = {
  gateway: { schema: gatewayConfigSchema, load: loadGatewayConfig },
  waiter: { schema: waiterConfigSchema, load: loadWaiterConfig },
  kitchen: { schema: kitchenConfigSchema, load: loadKitchenConfig },
}
type AppName = keyof typeof apps
const appNames = Object.keys(apps) as AppName[]
const schemas: Record<string, object>[] = appNames.map((name) => apps[name].schema)
/** The ports the official images listen on; the apps' ports come from their PORT. */
const imagePorts: Record<string, number> = { rabbitmq: 5672, mongo: 27017, redis: 6379, prometheus: 9090 }
/** Every figure of the dashboard, by the name the services expose (histograms through their _bucket or _count). */
const dashboardMetrics = [
  'http_request_duration_seconds',
  'waiter_order_statuses_total',
  'kitchen_order_statuses_total',
  'waiter_order_seconds_since_placed',
  'kitchen_order_seconds_since_placed',
  'kitchen_cooking_seconds',
  'amqp_deliveries_total',
  'amqp_redeliveries_total',
  'amqp_publish_confirm_seconds',
  'amqp_queue_messages',
  'amqp_deliveries_waiting',
  'process_unhandled_rejections_total',
  'sse_open_streams',
  'nodejs_eventloop_lag_p99_seconds',
  'process_resident_memory_bytes',
  'nodejs_heap_size_used_bytes',
  'process_cpu_seconds_total',
]

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

/** The bind mounts and named volumes of a service, from the short syntax `source:target[:mode]`. */
function mountsOf(name: string): { source: string; target: string; mode: string }[] {
  return (service(name).volumes ?? []).map((volume) => {
    const [source = '', target = '', mode = 'rw'] = volume.split(':')
    return { source, target, mode }
  })
}

/** The repository folder or file a service sees at `target`. */
function mountedAt(name: string, target: string): string {
  const mount = mountsOf(name).find((candidate) => candidate.target === target)
  if (!mount) throw new Error(`${name} mounts nothing at ${target}`)
  return mount.source
}

function dashboardPanels(): DashboardPanel[] {
  const dashboard = JSON.parse(readText('observability/grafana/dashboards/restaurant.json')) as { panels: DashboardPanel[] }
  return dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])])
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
  t.same(Object.keys(defaultServices).sort(), ['gateway', 'kitchen', 'mongo', 'rabbitmq', 'redis', 'waiter'])
})

t.test('Prometheus, Grafana and Jaeger come only with the observability profile', async (t) => {
  const optional = Object.keys(services).filter((name) => !(name in defaultServices))
  t.same(optional.sort(), ['grafana', 'jaeger', 'prometheus'])
  for (const name of optional) t.same(service(name).profiles, ['observability'], name)
  for (const [name, { depends_on: dependencies = {} }] of Object.entries(defaultServices)) {
    for (const dependency of Object.keys(dependencies)) t.ok(dependency in defaultServices, `${name} → ${dependency} is in the default stack`)
  }
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

t.test('by default only the gateway and the RabbitMQ management UI are published, on loopback', async (t) => {
  const published = Object.entries(defaultServices).flatMap(([name, { ports = [] }]) => ports.map((port) => `${name} ${port}`))
  t.same(published.sort(), [`gateway 127.0.0.1:3000:${environmentOf('gateway').PORT}`, 'rabbitmq 127.0.0.1:15672:15672'])
})

t.test('every published port is on loopback, and no two services take the same host port', async (t) => {
  const published = Object.values(services).flatMap(({ ports = [] }) => ports)
  for (const port of published) t.match(port, /^127\.0\.0\.1:\d+:\d+$/)
  const hostPorts = published.map((port) => port.split(':')[1])
  t.same(hostPorts, [...new Set(hostPorts)])
})

t.test('every file a service mounts from the repository exists and is mounted read-only', async (t) => {
  for (const name of Object.keys(services)) {
    for (const { source, target, mode } of mountsOf(name).filter(({ source }) => source.startsWith('./'))) {
      t.ok(existsSync(join(root, source)), `${name} ${source} exists`)
      t.equal(mode, 'ro', `${name} ${target} is read-only`)
    }
  }
})

t.test('Prometheus scrapes /metrics of every app every 5 s, at the host and port compose gives it', async (t) => {
  const config = parse(readText(mountedAt('prometheus', '/etc/prometheus/prometheus.yml'))) as { global?: { scrape_interval?: string }; scrape_configs: ScrapeConfig[] }
  for (const name of appNames) {
    const target = `${name}:${environmentOf(name).PORT}`
    const jobs = config.scrape_configs.filter((job) => job.static_configs?.some(({ targets }) => targets.includes(target)))
    t.equal(jobs.length, 1, `one job scrapes ${target}`)
    t.equal(jobs[0]?.metrics_path ?? '/metrics', '/metrics', `${name} path`)
    t.equal(jobs[0]?.scrape_interval ?? config.global?.scrape_interval, '5s', `${name} interval`)
  }
  for (const target of config.scrape_configs.flatMap((job) => job.static_configs ?? []).flatMap(({ targets }) => targets)) {
    const [host = '', port] = target.split(':')
    t.equal(Number(port), containerPort(host), `${target} is a service of the stack at its port`)
  }
})

t.test('Grafana provisions the Prometheus of the stack under a fixed uid, and the dashboards folder', async (t) => {
  const datasources = parse(readText(join(mountedAt('grafana', '/etc/grafana/provisioning/datasources'), 'prometheus.yml'))) as { datasources: { uid: string; type: string; url: string }[] }
  const [prometheus] = datasources.datasources
  t.equal(prometheus?.type, 'prometheus')
  t.equal(prometheus?.uid, 'restaurant-prometheus')
  const url = new URL(prometheus?.url ?? '')
  t.equal(Number(url.port), containerPort(url.hostname), 'the datasource names the prometheus service at its port')
  t.same(Object.keys(service('grafana').depends_on ?? {}), ['prometheus'])
  const providers = parse(readText(join(mountedAt('grafana', '/etc/grafana/provisioning/dashboards'), 'restaurant.yml'))) as { providers: { options: { path: string } }[] }
  const folder = providers.providers[0]?.options.path ?? ''
  t.equal(mountedAt('grafana', folder), './observability/grafana/dashboards')
  t.equal(environmentOf('grafana').GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH, `${folder}/restaurant.json`)
})

t.test('every panel of the dashboard queries the provisioned Prometheus', async (t) => {
  for (const panel of dashboardPanels()) {
    if (panel.type === 'row') {
      t.notOk(panel.targets?.length, `row ${panel.title} has no queries`)
      continue
    }
    t.equal(panel.datasource?.uid, 'restaurant-prometheus', panel.title)
    t.ok(panel.targets?.length, `${panel.title} has queries`)
    for (const target of panel.targets ?? []) t.equal(target.datasource?.uid ?? panel.datasource?.uid, 'restaurant-prometheus', `${panel.title}: ${target.expr}`)
  }
})

t.test('the dashboard queries every metric the services expose for it', async (t) => {
  const queries = dashboardPanels().flatMap(({ targets = [] }) => targets.map(({ expr }) => expr))
  for (const metric of dashboardMetrics) {
    const use = new RegExp(`(?<![\\w:])${metric}(?:_bucket|_count|_sum)?(?![\\w:])`)
    t.ok(queries.some((query) => use.test(query)), metric)
  }
})

t.test('tracing is off unless OTEL_EXPORTER_OTLP_ENDPOINT is set, and Jaeger takes OTLP over HTTP on 4318', async (t) => {
  for (const name of appNames) t.equal(environmentOf(name).OTEL_EXPORTER_OTLP_ENDPOINT, '${OTEL_EXPORTER_OTLP_ENDPOINT:-}', name)
  t.match(service('jaeger').image ?? '', /^jaegertracing\/(jaeger:2\.\d+\.\d+|all-in-one:\d+\.\d+\.\d+)$/)
  t.same(service('jaeger').ports, ['127.0.0.1:4318:4318', '127.0.0.1:16686:16686'])
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
