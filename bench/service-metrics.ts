/** What the services have counted so far (their `/metrics`, on their internal ports), summed over the services asked. */
export interface Counters {
  /** Publishes confirmed: each is observed once by the confirm-latency histogram. */
  publishes: number
  confirmSeconds: number
  deliveries: number
  /** Time from `placed` to each later status, from each order's own history, as the waiter saw it. */
  sincePlaced: Record<'accepted' | 'cooking' | 'ready', { seconds: number; count: number }>
  /** Orders the kitchens have made `ready` (an order announced again after a redelivery counts again). */
  readyByKitchens: number
}

/** Sums every sample of `metric` (all label sets, or those containing `label`) in a Prometheus exposition. */
function sumOf(exposition: string, metric: string, label = ''): number {
  let total = 0
  for (const line of exposition.split('\n')) {
    if ((line.startsWith(`${metric}{`) || line.startsWith(`${metric} `)) && line.includes(label)) total += Number(line.slice(line.lastIndexOf(' ') + 1))
  }
  return total
}

export async function readCounters(internalUrls: readonly string[]): Promise<Counters> {
  const all = (await Promise.all(internalUrls.map(async (url) => (await fetch(`${url}/metrics`)).text()))).join('\n')
  const sincePlaced = (status: string) => ({
    seconds: sumOf(all, 'waiter_order_seconds_since_placed_sum', `status="${status}"`),
    count: sumOf(all, 'waiter_order_seconds_since_placed_count', `status="${status}"`),
  })
  return {
    publishes: sumOf(all, 'amqp_publish_confirm_seconds_count'),
    confirmSeconds: sumOf(all, 'amqp_publish_confirm_seconds_sum'),
    deliveries: sumOf(all, 'amqp_deliveries_total'),
    sincePlaced: { accepted: sincePlaced('accepted'), cooking: sincePlaced('cooking'), ready: sincePlaced('ready') },
    readyByKitchens: sumOf(all, 'kitchen_order_statuses_total', 'status="ready"'),
  }
}

/** Mean milliseconds of what happened between two readings: publish confirms, and placed → each status. */
export function meanTimesMs(before: Counters, after: Counters) {
  const mean = (seconds: number, count: number) => (count > 0 ? (seconds * 1000) / count : Number.NaN)
  const since = (status: keyof Counters['sincePlaced']) =>
    mean(after.sincePlaced[status].seconds - before.sincePlaced[status].seconds, after.sincePlaced[status].count - before.sincePlaced[status].count)
  return {
    publishConfirm: mean(after.confirmSeconds - before.confirmSeconds, after.publishes - before.publishes),
    placedToAccepted: since('accepted'),
    placedToCooking: since('cooking'),
    placedToReady: since('ready'),
  }
}
export type MeanTimes = ReturnType<typeof meanTimesMs>

/** JS heap in use by each service, in MiB (`nodejs_heap_size_used_bytes` of its /metrics), by internal URL. */
export async function heapUsedMiB(internalUrls: Record<string, string>): Promise<Record<string, number>> {
  const used = async (url: string) => sumOf(await (await fetch(`${url}/metrics`)).text(), 'nodejs_heap_size_used_bytes') / 1024 ** 2
  return Object.fromEntries(await Promise.all(Object.entries(internalUrls).map(async ([name, url]) => [name, await used(url)] as const)))
}
