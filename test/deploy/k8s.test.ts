import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { topologyFor } from '@restaurant/contracts/messages'
import { gatewayConfigSchema } from '../../gateway/src/config.js'
import { kitchenConfigSchema } from '../../services/kitchen/src/config.js'
import { waiterConfigSchema } from '../../services/waiter/src/config.js'
import { checkManifests } from './check-manifests.js'
import { renderKustomization, type Manifest } from './manifests.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const overlayDir = (name: string) => `${root}deploy/k8s/overlays/${name}`
const fixtureDir = (name: string) => fileURLToPath(new URL(`fixtures/${name}`, import.meta.url))

/** Each fixture breaks one check: that one must reject it, every other must let it through. */
const brokenBy: Record<string, string> = {
  'unknown-field': 'schema',
  'wrong-type': 'schema',
  'crd-unknown-field': 'schema',
  'mongodb-unknown-field': 'schema',
  'keda-unknown-field': 'schema',
  'unknown-kind': 'schema',
  'missing-probe': 'probesOnHealthAndReady',
  'missing-limits': 'requestsAndLimits',
  'no-disruption-budget': 'disruptionBudgets',
  'privilege-escalation': 'lockedDown',
  'replicas-under-autoscaler': 'noReplicasWhereAutoscaled',
  'short-grace-period': 'gracePeriodAboveShutdownTimeout',
  'latest-image': 'pinnedImages',
  'env-used-before-defined': 'envDefinedBeforeUse',
  'kitchens-without-mongodb': 'sharedStores',
  'waiters-without-mongodb': 'sharedStores',
}

const started = performance.now()
const rendered = {
  dev: await renderKustomization(overlayDir('dev')),
  prod: await renderKustomization(overlayDir('prod')),
}
const find = (manifests: Manifest[], kind: string, name?: string) =>
  manifests.filter((m) => m.kind === kind && (name === undefined || m.metadata?.name === name))
const envOf = (deployment: Manifest | undefined): { name: string; value?: string }[] => {
  const spec = deployment?.spec as { template: { spec: { containers: { env?: { name: string; value?: string }[] }[] } } } | undefined
  return spec?.template.spec.containers[0]?.env ?? []
}
const containerEnv = (deployment: Manifest | undefined, name: string): string | undefined =>
  envOf(deployment).find((variable) => variable.name === name)?.value

/** The settings each service reads; the kitchen reads no Redis ones. */
const serviceSchemas: Record<string, object> = { gateway: gatewayConfigSchema, waiter: waiterConfigSchema, kitchen: kitchenConfigSchema }
const servicesOnRedis = Object.keys(serviceSchemas).filter((name) => 'REDIS_URL' in (serviceSchemas[name] ?? {}))
/** The services with a store of their own (the kitchen's tickets, the waiter's webhooks and feed). */
const servicesOnMongo = Object.keys(serviceSchemas).filter((name) => 'MONGO_URL' in (serviceSchemas[name] ?? {})).sort()
/** The labels of each overlay's MongoDB pods: dev's StatefulSet, prod's operator (as its documentation gives them). */
const mongoPods: Record<string, Record<string, string>> = { dev: { 'app.kubernetes.io/name': 'mongodb' }, prod: { app: 'restaurant-mongodb-svc' } }

interface PodSelector {
  matchLabels?: Record<string, string>
  matchExpressions?: { key: string; operator: string; values?: string[] }[]
}
/** The `app.kubernetes.io/name`s a pod selector picks. */
const namesSelected = ({ matchLabels = {}, matchExpressions = [] }: PodSelector = {}) => [
  ...Object.entries(matchLabels).filter(([key]) => key === 'app.kubernetes.io/name').map(([, value]) => value),
  ...matchExpressions.filter(({ key, operator }) => key === 'app.kubernetes.io/name' && operator === 'In').flatMap(({ values = [] }) => values),
]

/** Whether a pod selector picks pods with these labels (of the expressions, ours use only `In`). */
const selects = ({ matchLabels = {}, matchExpressions = [] }: PodSelector, labels: Record<string, string>) =>
  Object.entries(matchLabels).every(([key, value]) => labels[key] === value) &&
  matchExpressions.every(({ key, operator, values = [] }) => operator === 'In' && values.includes(labels[key] ?? ''))

/** The pods (by `app.kubernetes.io/name`) the NetworkPolicies let into the pods with these labels. */
function allowedInto(manifests: Manifest[], target: Record<string, string>): string[] {
  const specs = find(manifests, 'NetworkPolicy').map((policy) => policy.spec as { podSelector: PodSelector; ingress?: { from?: { podSelector?: PodSelector }[] }[] })
  const rules = specs.filter((spec) => selects(spec.podSelector, target)).flatMap((spec) => spec.ingress ?? [])
  return [...new Set(rules.flatMap(({ from = [] }) => from.flatMap(({ podSelector }) => namesSelected(podSelector))))].sort()
}

for (const [overlay, manifests] of Object.entries(rendered)) {
  t.test(`the ${overlay} overlay fits the Kubernetes and operator schemas and breaks none of our rules`, async (t) => {
    t.ok(manifests.length > 20, 'it renders')
    const findings = checkManifests(manifests)
    for (const [check, problems] of Object.entries(findings)) t.same(problems, [], check)
  })
}

t.test('the dev overlay runs one of each service, the engines as StatefulSets with volumes, and its broker user', async (t) => {
  const dev = rendered.dev
  for (const deployment of find(dev, 'Deployment')) t.equal((deployment.spec as { replicas?: number }).replicas, 1, deployment.metadata?.name ?? '')
  const engines = find(dev, 'StatefulSet').map((set) => set.metadata?.name).sort()
  t.same(engines, ['mongodb', 'rabbitmq', 'redis'])
  for (const set of find(dev, 'StatefulSet')) t.ok((set.spec as { volumeClaimTemplates?: unknown[] }).volumeClaimTemplates?.length, set.metadata?.name ?? '')
  const generated = find(dev, 'Secret').map((secret) => secret.metadata?.name?.replace(/-[a-z0-9]{10}$/, ''))
  t.same(generated, ['restaurant-rabbitmq-default-user'], "dev generates its broker user alone: the apps' secrets are the operator's own, from a generated .env")
  t.same(find(rendered.prod, 'Secret'), [], 'prod commits no secret')
})

t.test('prod scales gateways and waiters on CPU and kitchens on the depth of the orders queue', async (t) => {
  const prod = rendered.prod
  const hpaTargets = find(prod, 'HorizontalPodAutoscaler').map((hpa) => (hpa.spec as { scaleTargetRef: { name: string } }).scaleTargetRef.name)
  t.same(hpaTargets.sort(), ['gateway', 'waiter'])
  const [scaledObject] = find(prod, 'ScaledObject', 'kitchen')
  const [trigger] = (scaledObject?.spec as { triggers: { type: string; metadata: { queueName: string } }[] }).triggers
  t.equal(trigger?.type, 'rabbitmq')
  t.equal(trigger?.metadata.queueName, topologyFor('restaurant').queues.kitchenOrders.queue)
})

t.test('prod runs on three RabbitMQ members, a 3-member replica set and Redis with Sentinel, every setting naming them', async (t) => {
  const prod = rendered.prod
  t.equal((find(prod, 'RabbitmqCluster')[0]?.spec as { replicas: number }).replicas, 3)
  t.equal((find(prod, 'MongoDBCommunity')[0]?.spec as { members: number }).members, 3)
  t.equal((find(prod, 'StatefulSet', 'redis')[0]?.spec as { replicas: number }).replicas, 3)
  for (const name of servicesOnMongo) {
    const mongoHosts = /@([^/]+)\//.exec(containerEnv(find(prod, 'Deployment', name)[0], 'MONGO_URL') ?? '')?.[1]?.split(',')
    t.equal(mongoHosts?.length, 3, `${name} MONGO_URL names every member`)
  }
  t.equal(containerEnv(find(prod, 'Deployment', 'kitchen')[0], 'AMQP_URL')?.split(',').length, 3, 'AMQP_URL names every member')
  t.same(servicesOnRedis, ['gateway', 'waiter'], 'the services that use Redis')
  for (const name of servicesOnRedis) {
    const [deployment] = find(prod, 'Deployment', name)
    t.equal(containerEnv(deployment, 'REDIS_SENTINELS')?.split(',').length, 3, `${name} knows the three Sentinels`)
    t.equal(containerEnv(deployment, 'REDIS_URL'), undefined, `${name} has no plain Redis URL`)
  }
})

for (const [overlay, manifests] of Object.entries(rendered)) {
  t.test(`the ${overlay} overlay gives each service only variables it reads, or that a later one uses as $(VAR)`, async (t) => {
    for (const [name, schema] of Object.entries(serviceSchemas)) {
      const env = envOf(find(manifests, 'Deployment', name)[0])
      t.ok(env.length > 0, `${name} is given its settings`)
      env.forEach(({ name: variable }, index) => {
        const usedLater = env.slice(index + 1).some(({ value = '' }) => value.includes(`$(${variable})`))
        t.ok(variable in schema || usedLater, `${name} reads ${variable}`)
      })
    }
  })

  t.test(`in the ${overlay} overlay Redis takes connections only from the services that read it and from its own members`, async (t) => {
    t.same(allowedInto(manifests, { 'app.kubernetes.io/name': 'redis' }).filter((name) => name !== 'redis'), servicesOnRedis)
  })

  t.test(`in the ${overlay} overlay the services that keep a store are given MongoDB, and only they may connect to it`, async (t) => {
    t.same(servicesOnMongo, ['kitchen', 'waiter'], 'the services with a store')
    for (const name of servicesOnMongo) t.ok(containerEnv(find(manifests, 'Deployment', name)[0], 'MONGO_URL'), `${name} MONGO_URL`)
    t.same(allowedInto(manifests, mongoPods[overlay] ?? {}), servicesOnMongo)
  })
}

t.test('of the services only the gateway takes connections from anywhere, and only on its public port', async (t) => {
  const policies = find(rendered.prod, 'NetworkPolicy')
  const open = policies.filter((policy) => (policy.spec as { ingress?: { from?: unknown[] }[] }).ingress?.some((rule) => rule.from === undefined))
  t.same(open.map((policy) => policy.metadata?.name), ['gateway-from-anywhere'])
  t.same(open[0]?.spec, { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'gateway' } }, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 'http' }] }] })
  t.ok(find(rendered.prod, 'NetworkPolicy', 'default-deny-ingress').length, 'everything else is denied')
})

t.test('every check has a broken fixture that it rejects while the other checks accept it', async (t) => {
  const checks = Object.keys(checkManifests([]))
  t.same([...new Set(Object.values(brokenBy))].sort(), checks.sort(), 'every check is covered')
  t.same(readdirSync(fileURLToPath(new URL('fixtures', import.meta.url))).sort(), Object.keys(brokenBy).sort(), 'every fixture is listed')
  for (const [fixture, check] of Object.entries(brokenBy)) {
    const findings = checkManifests(await renderKustomization(fixtureDir(fixture)))
    const failing = Object.keys(findings).filter((name) => (findings[name] ?? []).length > 0)
    t.same(failing, [check], fixture)
  }
})

t.teardown(() => {
  console.log(`# k8s manifests: rendered and checked in ${Math.round(performance.now() - started)} ms`)
})
