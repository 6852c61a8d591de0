import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startStack, type Stack } from '../test/support/stack.js'
import { loadHttp } from './http-load.js'
import { placeAndWait } from './pipeline.js'
import { monotonicMicros, readProfiles, summarizeCpu, type ProfileSummary, type ProfileWindow } from './profiles.js'
import { openQueues } from './queues.js'
import { followReadyOrders } from './ready-orders.js'
import { placeOrderThrough } from './requests.js'
import { serviceEnv } from './settings.js'

export type Workload = 'intake' | 'pipeline'

export interface ProfileOptions {
  connections: number
  seconds: number
  orders: number
}

/** A profile of refused requests would show where refusals cost, not orders: the workload must be the real one. */
function allAccepted(workload: Workload, { accepted, refused }: { accepted: number; refused: number }): void {
  if (accepted === 0 || refused > 0) throw new Error(`the ${workload} workload to profile had ${refused} of ${accepted + refused} orders refused or unanswered`)
}

const workloads: Record<Workload, (stack: Stack, options: ProfileOptions) => Promise<void>> = {
  intake: async (stack, { connections, seconds }) => {
    const run = await loadHttp(placeOrderThrough('profiled', stack.gateway.url), { connections, durationSeconds: seconds })
    allAccepted('intake', { accepted: run.accepted, refused: run.non2xx + run.errors })
    // The kitchen's backlog is dropped, as between the measured intake runs.
    const queues = await openQueues(stack.run.namespace)
    await queues.drainOrders().finally(queues.close)
  },
  pipeline: async (stack, { connections, orders }) => {
    const ready = await followReadyOrders(stack.waiter.url)
    try {
      const run = await placeAndWait(stack, ready, { kitchens: [stack.kitchen], orders, connections, machine: [] })
      allAccepted('pipeline', { accepted: run.orders, refused: run.non2xx })
    } finally {
      ready.close()
    }
  },
}

/**
 * Runs the workloads once more, one after the other, on a fresh stack whose services record a CPU profile
 * (`node --cpu-prof`), and returns each service's largest self-time costs during each workload. Profiling
 * slows the services: these runs tell where the time goes, never a figure.
 */
export async function profileWorkloads(chosen: readonly Workload[], options: ProfileOptions): Promise<Record<string, Record<string, ProfileSummary>>> {
  const dir = await mkdtemp(join(tmpdir(), 'restaurant-profile-'))
  try {
    const stack = await startStack({ ...serviceEnv, SERVICE_NODE_FLAGS: `--cpu-prof --cpu-prof-dir=${dir}` })
    const pids = new Map([stack.gateway, stack.waiter, stack.kitchen].map((service) => [service.child.pid ?? 0, service.name]))
    // Only the workloads count: not the start-up, nor the shutdown.
    const windows = new Map<Workload, ProfileWindow>()
    try {
      for (const workload of chosen) {
        const from = monotonicMicros()
        await workloads[workload](stack, options)
        windows.set(workload, { from, to: monotonicMicros() })
      }
    } finally {
      // The profiles are written as the services exit.
      await stack.stop()
    }
    const profiles = await readProfiles(dir, pids)
    return Object.fromEntries(
      [...windows].map(([workload, window]) => [workload, Object.fromEntries([...profiles].map(([service, profile]) => [service, summarizeCpu(profile, window)]))]),
    )
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
