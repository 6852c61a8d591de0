import type { RequestContext } from './ports.js'

/**
 * The order view and the reservations live in Redis, which the waiter can do without: when `action` fails
 * this logs it and answers undefined, and the caller falls back on the kitchen's record.
 */
export async function withoutFailing<T>(operation: string, action: () => Promise<T>, { log }: Pick<RequestContext, 'log'>): Promise<T | undefined> {
  try {
    return await action()
  } catch (err) {
    log.warn({ err, operation }, "order view unavailable; using the kitchen's record")
    return undefined
  }
}
