import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { parse, type ScalarTag } from 'yaml'
import { appNames, composeApps as apps, generatedEnv, interpolate, type AppName } from './support/compose-env.js'

// No Docker engine runs here, so the compose files are checked against the code instead of being started.
interface ComposeService {
  image?: string
  build?: { context: string; args?: Record<string, string> }
  container_name?: string
  hostname?: string
  depends_on?: Record<string, { condition?: string }>
  environment?: Record<string, string | number | boolean | typeof RESET>
  ports?: string[]
  volumes?: string[]
  command?: string[]
  restart?: string
  healthcheck?: { test: string[] }
  profiles?: string[]
}
type Services = Record<string, ComposeService>

interface ScrapeConfig {
  job_name: string
  metrics_path?: string
  scrape_interval?: string
  static_configs?: { targets: string[] }[]
  dns_sd_configs?: { names: string[]; type?: string; port?: number }[]
}

interface DashboardPanel {
  type: string
  title: string
  datasource?: { uid?: string }
  targets?: { expr: string; datasource?: { uid?: string } }[]
  /** A collapsed row keeps its panels here. */
  panels?: DashboardPanel[]
}

/** Compose's `!reset`: a file merged over another removes what that one set. */
const RESET = Symbol('!reset')
const composeTags: ScalarTag[] = [{ tag: '!reset', resolve: () => RESET }]

const root = fileURLToPath(new URL('..', import.meta.url))
const readText = (file: string) => readFileSync(join(root, file), 'utf8')
const readServices = (file: string) => (parse(readText(file), { merge: true, customTags: composeTags }) as { services: Services }).services
const services = readServices('docker-compose.yml')
/** What `docker compose up` starts; `--profile observability` adds the rest. */
const defaultServices = Object.fromEntries(Object.entries(services).filter(([, { profiles }]) => profiles === undefined))
const clusterFile = readServices('docker-compose.cluster.yml')
/** `docker compose -f docker-compose.yml -f docker-compose.cluster.yml`, whose members come with `--profile cluster`. */
const cluster = mergeServices(services, clusterFile)
const stacks = { plain: services, cluster }

const schemas: Record<string, object>[] = appNames.map((name) => apps[name].schema)
/** The apps that read Redis settings; the kitchen keeps all it needs in its own store. */
const appsOnRedis = appNames.filter((name) => 'REDIS_URL' in apps[name].schema)
/** The apps with a store of their own: the kitchen's tickets, the waiter's webhooks and feed. */
const appsOnMongo = appNames.filter((name) => 'MONGO_URL' in apps[name].schema)
/** The ports the official images listen on, by image; the apps' ports come from their PORT, a Sentinel's from its file. */
const imagePorts: Record<string, number> = { rabbitmq: 5672, mongo: 27017, redis: 6379, 'prom/prometheus': 9090 }
/** The apps compose may start several of (`--scale`); the gateway is one, behind the published port. */
const scaledApps: AppName[] = ['waiter', 'kitchen']
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

/** How compose merges a service of a later file into the same one of an earlier file, for the keys ours use. */
function mergeService(base: ComposeService, override: ComposeService): ComposeService {
  const environment = Object.entries({ ...base.environment, ...override.environment }).filter(([, value]) => value !== RESET)
  const replaced = new Set((override.volumes ?? []).map((volume) => mountOf(volume).target))
  const volumes = [...(base.volumes ?? []).filter((volume) => !replaced.has(mountOf(volume).target)), ...(override.volumes ?? [])]
  return { ...base, ...override, environment: Object.fromEntries(environment), depends_on: { ...base.depends_on, ...override.depends_on }, volumes }
}

function mergeServices(base: Services, override: Services): Services {
  const merged = Object.entries(override).map(([name, overriding]) => [name, mergeService(base[name] ?? {}, overriding)] as const)
  return { ...base, ...Object.fromEntries(merged) }
}

function service(name: string, stack: Services = services): ComposeService {
  const found = stack[name]
  if (!found) throw new Error(`no service "${name}" in the stack`)
  return found
}

function environmentOf(name: string, stack: Services = services): Record<string, string> {
  const environment = Object.entries(service(name, stack).environment ?? {}).filter(([, value]) => value !== RESET)
  return Object.fromEntries(environment.map(([key, value]) => [key, String(value)]))
}

const isSentinel = ({ command = [] }: ComposeService) => /--sentinel\b/.test(command.join(' '))
const sentinelConfig = () => readText('deploy/compose/redis-sentinel.conf')

function containerPort(name: string, stack: Services = services): number | undefined {
  if (name in apps) return Number(environmentOf(name, stack).PORT)
  if (isSentinel(service(name, stack))) return Number(/^port (\d+)$/m.exec(sentinelConfig())?.[1])
  return imagePorts[service(name, stack).image?.split(':')[0] ?? '']
}

/** Each member a setting names: one URL, a list of URLs, a URL of several hosts (MongoDB's), or `host:port` entries. */
function membersOf(value: string): URL[] {
  const entries = value.split(',')
  const scheme = /^[a-z]+:\/\//.exec(entries[0] ?? '')?.[0] ?? 'tcp://'
  return entries.map((entry) => new URL(/^[a-z]+:\/\//.test(entry) ? entry : scheme + entry))
}

/** The other services an app's settings name: its URLs and its Sentinels. */
function addressesOf(name: string, stack: Services = services): { key: string; url: URL }[] {
  return Object.entries(environmentOf(name, stack))
    .filter(([key]) => key.endsWith('_URL') || key === 'REDIS_SENTINELS')
    .flatMap(([key, value]) => membersOf(value).map((url) => ({ key, url })))
}

/** The `host:port` of each member a setting names, sorted. */
const hostsOf = (value: string) => membersOf(value).map(({ hostname, port }) => `${hostname}:${port}`).sort()
const sorted = (names: string[]) => [...names].sort()

/** The services a service waits for, directly or through those it waits for. */
function awaitedBy(name: string, stack: Services): Set<string> {
  const awaited = new Set<string>()
  const visit = (from: string) => {
    for (const dependency of Object.keys(service(from, stack).depends_on ?? {})) {
      if (awaited.has(dependency)) continue
      awaited.add(dependency)
      visit(dependency)
    }
  }
  visit(name)
  return awaited
}

/** A service that runs once: what waits for it waits until it has exited with success. */
function runsOnce(name: string, stack: Services): boolean {
  return Object.values(stack).some(({ depends_on: dependencies = {} }) => dependencies[name]?.condition === 'service_completed_successfully')
}

/** A bind mount or named volume in the short syntax `source:target[:mode]`. */
function mountOf(volume: string): { source: string; target: string; mode: string } {
  const [source = '', target = '', mode = 'rw'] = volume.split(':')
  return { source, target, mode }
}

const mountsOf = (name: string, stack: Services = services) => (service(name, stack).volumes ?? []).map(mountOf)

/** The repository folder or file (or the volume) a service sees at `target`. */
function mountedAt(name: string, target: string, stack: Services = services): string {
  const mount = mountsOf(name, stack).find((candidate) => candidate.target === target)
  if (!mount) throw new Error(`${name} mounts nothing at ${target}`)
  return mount.source
}

const servicesOfImage = (stack: Services, image: string) => Object.keys(stack).filter((name) => stack[name]?.image?.split(':')[0] === image)
/** The word after a flag in a service's command, e.g. `--replSet rs0` → `rs0`. */
function flagOf(name: string, flag: string, words = 1): string | undefined {
  const command = service(name, cluster).command ?? []
  const at = command.indexOf(flag)
  return at < 0 ? undefined : command.slice(at + 1, at + 1 + words).join(' ')
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

/** The `key = value` lines of a rabbitmq.conf. */
function rabbitmqSettings(text: string): Map<string, string> {
  const entries = text.split('\n').flatMap((line) => {
    const match = /^([\w.]+) = (.+)$/.exec(line)
    return match?.[1] === undefined || match[2] === undefined ? [] : [[match[1], match[2]] as const]
  })
  return new Map(entries)
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

t.test('the cluster file adds the other members of each engine, all in the cluster profile', async (t) => {
  const added = Object.keys(clusterFile).filter((name) => !(name in services))
  t.same(added.sort(), ['mongo-2', 'mongo-3', 'mongo-init', 'rabbitmq-2', 'rabbitmq-3', 'redis-replica', 'redis-sentinel-1', 'redis-sentinel-2', 'redis-sentinel-3'])
  for (const name of added) t.same(clusterFile[name]?.profiles, ['cluster'], name)
  for (const name of Object.keys(clusterFile).filter((name) => name in services)) t.same(cluster[name]?.profiles, services[name]?.profiles, `${name} keeps its profiles`)
  const started = Object.fromEntries(Object.entries(cluster).filter(([, { profiles = ['cluster'] }]) => profiles.includes('cluster')))
  for (const [name, { depends_on: dependencies = {} }] of Object.entries(started)) {
    for (const dependency of Object.keys(dependencies)) t.ok(dependency in started, `${name} → ${dependency} comes with --profile cluster`)
  }
})

t.test('every variable the compose files set is one the service reads', async (t) => {
  for (const [label, stack] of Object.entries(stacks)) {
    for (const name of appNames) {
      const read = Object.keys(apps[name].schema)
      for (const key of Object.keys(environmentOf(name, stack))) t.ok(read.includes(key), `${label}: ${name} reads ${key}`)
    }
  }
})

t.test('the environment compose gives each app, with the secrets of a generated .env, passes its config validation', async (t) => {
  const secrets = await generatedEnv(join(t.testdir(), '.env'))
  for (const [label, stack] of Object.entries(stacks)) {
    for (const name of appNames) {
      const env = Object.fromEntries(Object.entries(environmentOf(name, stack)).map(([key, value]) => [key, interpolate(value, secrets)]))
      for (const [key, value] of Object.entries(env)) t.notMatch(value, /\$/, `${label}: ${name} ${key} has a fallback`)
      t.doesNotThrow(() => apps[name].load(env), `${label}: ${name} accepts its environment`)
    }
  }
})

t.test('each app listens on all interfaces; its healthcheck probes /health on its INTERNAL_PORT, never published', async (t) => {
  for (const name of appNames) {
    const env = environmentOf(name)
    t.equal(env.HOST, '0.0.0.0', `${name} HOST`)
    t.ok(env.INTERNAL_PORT, `${name} INTERNAL_PORT`)
    t.not(env.INTERNAL_PORT, env.PORT, `${name} serves probes and metrics apart from its API`)
    const probe = service(name).healthcheck?.test.join(' ') ?? ''
    t.match(probe, `http://127.0.0.1:${env.INTERNAL_PORT}/health`, `${name} healthcheck`)
    const published = (service(name).ports ?? []).map((port) => port.split(':').at(-1))
    t.notOk(published.includes(env.INTERNAL_PORT), `${name} does not publish INTERNAL_PORT`)
  }
  const imageHealthcheck = /^HEALTHCHECK (?:.*\\\n)*.*$/m.exec(readText('Dockerfile'))?.[0] ?? ''
  t.match(imageHealthcheck, 'process.env.INTERNAL_PORT', "the image's own healthcheck probes INTERNAL_PORT")
})

t.test('waiters and kitchens can be scaled: no host port, container name or host name of their own', async (t) => {
  for (const [label, stack] of Object.entries(stacks)) {
    for (const name of scaledApps) {
      const { ports = [], container_name: containerName, hostname } = service(name, stack)
      t.same(ports, [], `${label}: ${name} publishes no port`)
      t.equal(containerName, undefined, `${label}: ${name} container name`)
      t.equal(hostname, undefined, `${label}: ${name} host name`)
    }
    for (const [name, { container_name: containerName }] of Object.entries(stack)) t.equal(containerName, undefined, `${label}: ${name} container name`)
  }
})

t.test('every address an app is given names a service of the stack and the port that service listens on', async (t) => {
  for (const [label, stack] of Object.entries(stacks)) {
    for (const name of appNames) {
      for (const { key, url } of addressesOf(name, stack)) {
        t.ok(url.hostname in stack, `${label}: ${name} ${key} names ${url.hostname}, a service`)
        if (url.hostname in stack) t.equal(Number(url.port), containerPort(url.hostname, stack), `${label}: ${name} ${key} ${url.hostname} port`)
      }
    }
  }
})

t.test('an app waits for every service its addresses point at', async (t) => {
  for (const [label, stack] of Object.entries(stacks)) {
    for (const name of appNames) {
      const awaited = awaitedBy(name, stack)
      for (const { key, url } of addressesOf(name, stack)) t.ok(awaited.has(url.hostname), `${label}: ${name} waits for ${url.hostname} (${key})`)
    }
  }
})

t.test('an app waits for nothing its addresses do not lead to, but a service that runs once', async (t) => {
  for (const [label, stack] of Object.entries(stacks)) {
    for (const name of appNames) {
      const named = addressesOf(name, stack).map(({ url }) => url.hostname).filter((host) => host in stack)
      const reached = new Set(named.flatMap((host) => [host, ...awaitedBy(host, stack)]))
      for (const dependency of Object.keys(service(name, stack).depends_on ?? {})) {
        t.ok(reached.has(dependency) || runsOnce(dependency, stack), `${label}: ${name} needs ${dependency}`)
      }
    }
  }
})

t.test('every dependency is awaited until healthy, or, if it runs once, until it has succeeded', async (t) => {
  for (const [label, stack] of Object.entries(stacks)) {
    for (const [name, { depends_on: dependencies = {} }] of Object.entries(stack)) {
      for (const [dependency, { condition }] of Object.entries(dependencies)) {
        const awaited = stack[dependency]
        t.ok(awaited, `${label}: ${name} → ${dependency} is a service`)
        if (condition === 'service_completed_successfully') {
          t.equal(awaited?.restart, 'on-failure', `${label}: ${name} → ${dependency} runs until it succeeds`)
          continue
        }
        t.equal(condition, 'service_healthy', `${label}: ${name} → ${dependency}`)
        t.ok(awaited?.healthcheck?.test.length, `${label}: ${dependency} has a healthcheck`)
      }
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
  for (const [label, stack] of Object.entries(stacks)) {
    const published = Object.values(stack).flatMap(({ ports = [] }) => ports)
    for (const port of published) t.match(port, /^127\.0\.0\.1:\d+:\d+$/, label)
    const hostPorts = published.map((port) => port.split(':')[1])
    t.same(hostPorts, [...new Set(hostPorts)], label)
  }
})

t.test('every file a service mounts from the repository exists and is mounted read-only', async (t) => {
  for (const [label, stack] of Object.entries(stacks)) {
    for (const name of Object.keys(stack)) {
      for (const { source, target, mode } of mountsOf(name, stack).filter(({ source }) => source.startsWith('./'))) {
        t.ok(existsSync(join(root, source)), `${label}: ${name} ${source} exists`)
        t.equal(mode, 'ro', `${label}: ${name} ${target} is read-only`)
      }
    }
  }
})

t.test('Prometheus scrapes /metrics of every replica of every app every 5 s, at its INTERNAL_PORT', async (t) => {
  const config = parse(readText(mountedAt('prometheus', '/etc/prometheus/prometheus.yml'))) as { global?: { scrape_interval?: string }; scrape_configs: ScrapeConfig[] }
  t.notOk(config.scrape_configs.some((job) => job.static_configs), 'no fixed targets: replicas come and go')
  for (const name of appNames) {
    const jobs = config.scrape_configs.filter((job) => job.dns_sd_configs?.some(({ names }) => names.includes(name)))
    t.equal(jobs.length, 1, `one job looks ${name} up`)
    const lookup = jobs[0]?.dns_sd_configs?.find(({ names }) => names.includes(name))
    t.equal(lookup?.type, 'A', `${name}: every address Docker's DNS gives the name, one per replica`)
    t.equal(lookup?.port, Number(environmentOf(name).INTERNAL_PORT), `${name} port`)
    t.equal(jobs[0]?.metrics_path ?? '/metrics', '/metrics', `${name} path`)
    t.equal(jobs[0]?.scrape_interval ?? config.global?.scrape_interval, '5s', `${name} interval`)
  }
  for (const { names, port } of config.scrape_configs.flatMap((job) => job.dns_sd_configs ?? [])) {
    for (const name of names) t.equal(port, Number(environmentOf(name).INTERNAL_PORT), `${name} is an app of the stack, at its INTERNAL_PORT`)
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

t.test('every service comes back after a crash or a reboot unless stopped; one that runs once is retried until it succeeds', async (t) => {
  for (const [label, stack] of Object.entries(stacks)) {
    for (const [name, { restart }] of Object.entries(stack)) t.equal(restart, runsOnce(name, stack) ? 'on-failure' : 'unless-stopped', `${label}: ${name}`)
  }
})

t.test('the RabbitMQ nodes form one cluster by name, share one Erlang cookie, and the apps name every node', async (t) => {
  const nodes = servicesOfImage(cluster, 'rabbitmq').sort()
  t.equal(nodes.length, 3)
  const setting = rabbitmqSettings(readText('deploy/compose/rabbitmq-cluster.conf'))
  t.equal(setting.get('cluster_formation.peer_discovery_backend'), 'classic_config')
  const listed = [...setting].filter(([key]) => key.startsWith('cluster_formation.classic_config.nodes.')).map(([, node]) => node)
  t.same(listed.sort(), nodes.map((name) => `rabbit@${name}`), 'the config lists each node, named after its host')
  for (const name of nodes) {
    t.equal(service(name, cluster).hostname, name, `${name}: its host name is the service name the others resolve`)
    t.equal(mountedAt(name, '/etc/rabbitmq/conf.d/20-cluster.conf', cluster), './deploy/compose/rabbitmq-cluster.conf', `${name} config`)
    const probe = service(name, cluster).healthcheck?.test ?? []
    t.same(probe.slice(-2), ['await_online_nodes', String(nodes.length)], `${name} is healthy once every node is in, so quorum queues get a replica on each`)
  }
  const cookies = new Set(nodes.map((name) => environmentOf(name, cluster).RABBITMQ_ERLANG_COOKIE))
  t.equal(cookies.size, 1, 'one cookie')
  t.notOk(cookies.has(undefined), 'a cookie')
  for (const name of ['waiter', 'kitchen'] as const) t.same(hostsOf(environmentOf(name, cluster).AMQP_URL ?? ''), sorted(nodes.map((node) => `${node}:5672`)), `${name} AMQP_URL`)
})

t.test('the MongoDB members form one replica set, initiated with every member, and the apps with a store write to it with w=majority', async (t) => {
  const members = servicesOfImage(cluster, 'mongo').filter((name) => flagOf(name, '--replSet') !== undefined).sort()
  t.equal(members.length, 3)
  for (const name of members) t.equal(flagOf(name, '--replSet'), 'rs0', `${name} --replSet`)
  t.equal(new Set(members.map((name) => mountedAt(name, '/data/db', cluster))).size, members.length, 'each member keeps its own data')
  const init = environmentOf('mongo-init', cluster)
  t.equal(init.REPLICA_SET, 'rs0')
  t.same(hostsOf(`mongodb://${init.REPLICA_SET_MEMBERS ?? ''}`), sorted(members.map((name) => `${name}:27017`)), 'the init names every member')
  t.same(Object.keys(service('mongo-init', cluster).depends_on ?? {}).sort(), members, 'the init waits for every member')
  t.ok(service('mongo-init', cluster).command?.includes(mountsOf('mongo-init', cluster).find(({ source }) => source === './deploy/compose/mongo-replica-set.js')?.target ?? ''), 'the init runs our script')
  t.same(appsOnMongo, ['waiter', 'kitchen'], 'the apps with a store')
  for (const name of appsOnMongo) {
    const url = environmentOf(name, cluster).MONGO_URL ?? ''
    t.same(hostsOf(url), sorted(members.map((member) => `${member}:27017`)), `${name} MONGO_URL names every member`)
    const options = new URLSearchParams(url.split('?')[1])
    t.equal(options.get('replicaSet'), 'rs0', `${name} replicaSet`)
    t.equal(options.get('w'), 'majority', `${name} w`)
    t.equal(service(name, cluster).depends_on?.['mongo-init']?.condition, 'service_completed_successfully', `${name} starts once the set is initiated`)
  }
})

t.test('the Sentinels watch the master the apps ask them for, by name, and the apps name every Sentinel', async (t) => {
  const sentinels = Object.keys(cluster).filter((name) => isSentinel(service(name, cluster))).sort()
  t.equal(sentinels.length, 3)
  const [masterName, host, port, quorum] = /^sentinel monitor (\S+) (\S+) (\d+) (\d+)$/m.exec(sentinelConfig())?.slice(1) ?? []
  t.equal(host, 'redis')
  t.equal(Number(port), containerPort('redis', cluster))
  t.ok(Number(quorum) > sentinels.length / 2 && Number(quorum) <= sentinels.length, 'a majority of the Sentinels must agree on a failover')
  t.match(sentinelConfig(), /^sentinel resolve-hostnames yes$/m, 'the master is named, not addressed')
  for (const name of sentinels) t.equal(mountedAt(name, '/etc/redis/sentinel.conf', cluster), './deploy/compose/redis-sentinel.conf', `${name} config`)
  t.equal(flagOf('redis-replica', '--replicaof', 2), `${host} ${port}`, 'the replica follows the master')
  for (const name of ['redis', 'redis-replica']) t.equal(flagOf(name, '--replica-announce-ip'), name, `${name} announces its service name`)
  t.same(appsOnRedis, ['gateway', 'waiter'], 'the apps that use Redis')
  for (const name of appsOnRedis) {
    const env = environmentOf(name, cluster)
    t.same(hostsOf(env.REDIS_SENTINELS ?? ''), sorted(sentinels.map((sentinel) => `${sentinel}:${containerPort(sentinel, cluster)}`)), `${name} REDIS_SENTINELS`)
    t.equal(env.REDIS_MASTER_NAME, masterName, `${name} REDIS_MASTER_NAME`)
    t.equal(env.REDIS_URL, undefined, `${name} has no REDIS_URL besides`)
  }
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

t.test('dclint finds neither an error nor a warning in the compose files', async (t) => {
  const dclint = join(root, 'node_modules/.bin/dclint')
  for (const file of ['docker-compose.yml', 'docker-compose.cluster.yml']) {
    const { code, output } = await run(dclint, [file, '--max-warnings', '0', '--no-color'])
    t.equal(code, 0, `${file}: ${output}`)
  }
})
