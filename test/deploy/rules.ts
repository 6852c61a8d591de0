import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1'
import type { IContainer } from 'kubernetes-models/v1/Container'
import { Deployment, StatefulSet, type IDeployment } from 'kubernetes-models/apps/v1'
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2'
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1'
import { describe, type Manifest } from './manifests.js'

/** A rule reads every rendered object of an overlay and says what breaks it: one line per problem. */
export type Rule = (manifests: Manifest[]) => string[]

/** The services' own default (SHUTDOWN_TIMEOUT_MS in shared/platform/src/runtime/config.ts). */
const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000
/** Kubernetes' default when a pod sets no terminationGracePeriodSeconds. */
const DEFAULT_GRACE_PERIOD_SECONDS = 30

const deploymentsOf = (manifests: Manifest[]): IDeployment[] => manifests.filter((m) => Deployment.is(m))

/** Each container of each Deployment, with the name a finding gives it. */
function containersOf(manifests: Manifest[]): { where: string; container: IContainer; deployment: IDeployment }[] {
  return deploymentsOf(manifests).flatMap((deployment) =>
    (deployment.spec?.template.spec?.containers ?? []).map((container) => ({
      where: `Deployment/${deployment.metadata?.name ?? '?'} container ${container.name}`,
      container,
      deployment,
    })),
  )
}

export const probesOnHealthAndReady: Rule = (manifests) =>
  containersOf(manifests).flatMap(({ where, container }) => {
    const paths = {
      startupProbe: container.startupProbe?.httpGet?.path,
      livenessProbe: container.livenessProbe?.httpGet?.path,
      readinessProbe: container.readinessProbe?.httpGet?.path,
    }
    const expected = { startupProbe: '/health', livenessProbe: '/health', readinessProbe: '/ready' }
    return Object.entries(expected)
      .filter(([probe, path]) => paths[probe as keyof typeof paths] !== path)
      .map(([probe, path]) => `${where} has no ${probe} on ${path}`)
  })

export const requestsAndLimits: Rule = (manifests) =>
  containersOf(manifests).flatMap(({ where, container }) =>
    (['requests', 'limits'] as const).flatMap((bound) =>
      ['cpu', 'memory']
        .filter((resource) => container.resources?.[bound]?.[resource] === undefined)
        .map((resource) => `${where} has no ${resource} ${bound}`),
    ),
  )

export const disruptionBudgets: Rule = (manifests) => {
  const selectors = manifests.filter((m) => PodDisruptionBudget.is(m)).map((pdb) => pdb.spec?.selector?.matchLabels ?? {})
  return deploymentsOf(manifests)
    .filter((deployment) => {
      const labels = deployment.spec?.template.metadata?.labels ?? {}
      const selects = (selector: Record<string, string>) =>
        Object.keys(selector).length > 0 && Object.entries(selector).every(([key, value]) => labels[key] === value)
      return !selectors.some(selects)
    })
    .map((deployment) => `${describe(deployment)} has no PodDisruptionBudget selecting its pods`)
}

export const lockedDown: Rule = (manifests) =>
  containersOf(manifests).flatMap(({ where, container, deployment }) => {
    const pod = deployment.spec?.template.spec?.securityContext
    const own = container.securityContext
    const checks: [boolean, string][] = [
      [(own?.runAsNonRoot ?? pod?.runAsNonRoot) === true, 'runAsNonRoot'],
      [(own?.seccompProfile ?? pod?.seccompProfile)?.type === 'RuntimeDefault', 'seccomp RuntimeDefault'],
      [own?.allowPrivilegeEscalation === false, 'allowPrivilegeEscalation false'],
      [own?.readOnlyRootFilesystem === true, 'readOnlyRootFilesystem'],
      [own?.capabilities?.drop?.includes('ALL') === true, 'every capability dropped'],
    ]
    return checks.filter(([holds]) => !holds).map(([, what]) => `${where} lacks ${what}`)
  })

/** The Deployments an autoscaler owns: HPAs and KEDA ScaledObjects (whose target kind defaults to Deployment). */
function autoscaledDeployments(manifests: Manifest[]): { by: string; name: string }[] {
  const hpas = manifests
    .filter((m) => HorizontalPodAutoscaler.is(m))
    .filter((hpa) => hpa.spec?.scaleTargetRef.kind === 'Deployment')
    .map((hpa) => ({ by: describe(hpa), name: hpa.spec?.scaleTargetRef.name ?? '' }))
  const scaledObjects = manifests
    .filter((m) => ScaledObject.is(m))
    .filter((so) => (so.spec.scaleTargetRef.kind ?? 'Deployment') === 'Deployment')
    .map((so) => ({ by: describe(so), name: so.spec.scaleTargetRef.name }))
  return [...hpas, ...scaledObjects]
}

export const noReplicasWhereAutoscaled: Rule = (manifests) => {
  const deployments = new Map(deploymentsOf(manifests).map((d) => [d.metadata?.name, d]))
  return autoscaledDeployments(manifests).flatMap(({ by, name }) => {
    const target = deployments.get(name)
    if (!target) return [`${by} scales Deployment/${name}, which is not there`]
    return target.spec?.replicas === undefined ? [] : [`Deployment/${name} sets replicas although ${by} scales it`]
  })
}

function envValue(container: IContainer, name: string): string | undefined {
  return container.env?.find((variable) => variable.name === name)?.value
}

/** Seconds of a `sleep N` preStop hook: the grace period runs through it before SIGTERM. */
function preStopSeconds(container: IContainer): number {
  const [program, seconds] = container.lifecycle?.preStop?.exec?.command ?? []
  return program === 'sleep' ? Number(seconds) : 0
}

export const gracePeriodAboveShutdownTimeout: Rule = (manifests) =>
  containersOf(manifests).flatMap(({ where, container, deployment }) => {
    const graceMs = 1000 * (deployment.spec?.template.spec?.terminationGracePeriodSeconds ?? DEFAULT_GRACE_PERIOD_SECONDS)
    const shutdownMs = Number(envValue(container, 'SHUTDOWN_TIMEOUT_MS') ?? DEFAULT_SHUTDOWN_TIMEOUT_MS)
    const neededMs = shutdownMs + 1000 * preStopSeconds(container)
    return graceMs > neededMs ? [] : [`${where} may be killed after ${graceMs} ms, before its preStop and graceful stop (${neededMs} ms)`]
  })

/** A tag other than `latest`, or a digest. */
function isPinned(image: string): boolean {
  if (image.includes('@sha256:')) return true
  const tag = /:([^/:]+)$/.exec(image)?.[1]
  return tag !== undefined && tag !== 'latest'
}

export const pinnedImages: Rule = (manifests) =>
  manifests
    .filter((m) => Deployment.is(m) || StatefulSet.is(m))
    .flatMap((workload) => {
      const pod = (workload as IDeployment).spec?.template.spec
      const containers = [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])]
      return containers.filter(({ image }) => !isPinned(image ?? '')).map(({ name, image }) => `${describe(workload)} container ${name} runs an unpinned image ${image ?? '(none)'}`)
    })

/** Kubernetes expands $(NAME) only from variables listed before it; otherwise the text stays as it is. */
export const envDefinedBeforeUse: Rule = (manifests) =>
  containersOf(manifests).flatMap(({ where, container }) => {
    const env = container.env ?? []
    return env.flatMap((variable, index) => {
      const defined = new Set(env.slice(0, index).map(({ name }) => name))
      const used = [...(variable.value ?? '').matchAll(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)].map((match) => match[1] ?? '')
      return used.filter((name) => !defined.has(name)).map((name) => `${where}: ${variable.name} uses $(${name}) before it is defined`)
    })
  })

/** The services with a store of their own: the kitchen (tickets, the menu) and the waiter (webhooks, the feed). */
const STORE_OWNERS = ['kitchen', 'waiter']

/** Several replicas share a store only through a MongoDB replica set; the embedded store is one pod's file. */
export const sharedStores: Rule = (manifests) => {
  const autoscaled = new Set(autoscaledDeployments(manifests).map(({ name }) => name))
  return containersOf(manifests)
    .filter(({ deployment }) => STORE_OWNERS.includes(deployment.metadata?.name ?? ''))
    .filter(({ deployment }) => autoscaled.has(deployment.metadata?.name ?? '') || (deployment.spec?.replicas ?? 1) > 1)
    .flatMap(({ where, container }) => {
      const url = envValue(container, 'MONGO_URL') ?? ''
      return /[?&]replicaSet=/.test(url) && /[?&]w=majority/.test(url) ? [] : [`${where} runs several replicas without MONGO_URL naming a replica set with w=majority`]
    })
}

export const rules: Record<string, Rule> = {
  probesOnHealthAndReady,
  requestsAndLimits,
  disruptionBudgets,
  lockedDown,
  noReplicasWhereAutoscaled,
  gracePeriodAboveShutdownTimeout,
  pinnedImages,
  envDefinedBeforeUse,
  sharedStores,
}
