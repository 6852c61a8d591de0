import type { FastifyInstance } from 'fastify'
import { buildProblem, PROBLEM_CONTENT_TYPE } from '@restaurant/contracts/problem'

/** One thing a service depends on, as its `/ready` checks it. */
export interface DependencyCheck {
  /**
   * Resolves when the dependency answers, optionally with what it said (Redis's `PONG`); throws naming what is
   * wrong, with what it said as the error's `cause` if there is one.
   */
  check: () => Promise<unknown>
  /** The service works on without it, degraded: shown, but readiness does not hang on it. */
  optional?: boolean
}

export interface DependencyReport {
  status: 'up' | 'down'
  required: boolean
  detail?: string
  report?: unknown
}

/** Longest a check may take before its dependency counts as down. */
const CHECK_TIMEOUT_MS = 2_000

export interface HealthOptions {
  /**
   * How long a finished `/ready` answer is served again (0: every request checks anew). Requests meanwhile, and
   * those arriving while a check runs, share it: a burst of probes costs each dependency one check.
   */
  readyCacheMs?: number
}

/**
 * `/health`: the process is up. `/ready`: every dependency it needs answers; the body reports each one,
 * so an operator sees which is down, and 503 (problem+json) names the first required one that is. Served on
 * the internal port (`buildInternalServer`), never beside the API.
 */
export function registerHealthRoutes(app: FastifyInstance, checks: Record<string, DependencyCheck>, { readyCacheMs = 0 }: HealthOptions = {}): void {
  const reports = sharedFor(readyCacheMs, () => reportOnAll(checks))
  app.get('/health', async () => ({ status: 'ok' }))
  app.get('/ready', async (request, reply) => {
    const checked = await reports()
    const down = Object.entries(checked).filter(([, report]) => report.required && report.status === 'down')
    if (down.length === 0) return { status: 'ready', checks: checked }
    const detail = down.map(([name, report]) => `${name} is down: ${report.detail ?? 'no answer'}`).join('; ')
    request.log.warn({ checks: checked }, 'not ready')
    return reply.code(503).type(PROBLEM_CONTENT_TYPE).send({ ...buildProblem(503, 'not-ready', 'Not ready', { detail }), checks: checked })
  })
}

/** One run of `produce` for every call while it runs and for `ttlMs` after it settles. `produce` must not reject. */
function sharedFor<T>(ttlMs: number, produce: () => Promise<T>): () => Promise<T> {
  let latest: { value: Promise<T>; until: number } | undefined
  return () => {
    if (latest && performance.now() < latest.until) return latest.value
    const entry = { value: produce(), until: Number.POSITIVE_INFINITY }
    void entry.value.then(() => (entry.until = performance.now() + ttlMs))
    latest = entry
    return entry.value
  }
}

async function reportOnAll(checks: Record<string, DependencyCheck>): Promise<Record<string, DependencyReport>> {
  return Object.fromEntries(await Promise.all(Object.entries(checks).map(async ([name, dependency]) => [name, await reportOn(dependency)] as const)))
}

async function reportOn({ check, optional = false }: DependencyCheck): Promise<DependencyReport> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS)))
  try {
    const report = await Promise.race([check(), timeout])
    return { status: 'up', required: !optional, ...(report === undefined ? {} : { report }) }
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err)
    const report = err instanceof Error ? err.cause : undefined
    return { status: 'down', required: !optional, detail, ...(report === undefined ? {} : { report }) }
  } finally {
    clearTimeout(timer)
  }
}
