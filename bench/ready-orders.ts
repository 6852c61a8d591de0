import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { signedIdentity, staff } from '../test/support/credentials.js'

export interface ReadyOrders {
  /** When each order's `ready` event arrived (performance.now()), in arrival order. */
  arrivals: { orderId: string; at: number }[]
  readyAt: Map<string, number>
  /** Resolves once `count` orders in all have arrived ready; rejects after `timeoutMs`. */
  waitForCount(count: number, timeoutMs: number): Promise<void>
  close(): void
}

/**
 * Follows the waiter's staff stream (`GET /api/orders/events`, straight to the waiter with the identity the
 * gateway would sign) and notes when each order turns `ready`. Resolves once the stream is open, so that no
 * event of a load started afterwards is missed. (test/support/sse-client.ts reads a stream to a condition;
 * this one has to report while the load runs and be closed on demand.)
 */
export async function followReadyOrders(waiterUrl: string): Promise<ReadyOrders> {
  const controller = new AbortController()
  const response = await fetch(`${waiterUrl}/api/orders/events`, {
    headers: { accept: 'text/event-stream', ...signedIdentity(staff, 'GET', '/api/orders/events') },
    signal: controller.signal,
  })
  if (!response.ok || !response.body) throw new Error(`the staff stream answered ${response.status}`)
  const arrivals: ReadyOrders['arrivals'] = []
  const readyAt = new Map<string, number>()
  const body = response.body
  void (async () => {
    const decoder = new TextDecoder()
    let buffer = ''
    for await (const chunk of body) {
      const at = performance.now()
      buffer += decoder.decode(chunk, { stream: true })
      let end: number
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const lines = buffer.slice(0, end).split('\n')
        buffer = buffer.slice(end + 2)
        if (!lines.includes('event: ready')) continue
        const data = lines.find((line) => line.startsWith('data:'))
        const { orderId } = JSON.parse(data?.slice(5) ?? '{}') as { orderId: string }
        if (readyAt.has(orderId)) continue
        readyAt.set(orderId, at)
        arrivals.push({ orderId, at })
      }
    }
  })().catch(() => undefined)

  return {
    arrivals,
    readyAt,
    async waitForCount(count, timeoutMs) {
      const deadline = performance.now() + timeoutMs
      while (arrivals.length < count) {
        if (performance.now() > deadline) throw new Error(`only ${arrivals.length} of ${count} orders turned ready within ${timeoutMs} ms`)
        await sleep(10)
      }
    },
    close: () => controller.abort(),
  }
}
