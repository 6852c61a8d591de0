import createError from '@fastify/error'
import type { Order } from '@restaurant/contracts/orders'
import type { ListQuery } from '../use-cases/ticket-store.js'

export const InvalidCursorError = createError('INVALID_CURSOR', 'The cursor is not one this API returned', 400)

type Position = NonNullable<ListQuery['after']>

/** Cursors are opaque to clients: the position of the last order of a page. */
export function encodeCursor(order: Pick<Order, 'placedAt' | 'id'>): string {
  return Buffer.from(JSON.stringify([order.placedAt, order.id])).toString('base64url')
}

export function decodeCursor(cursor: string): Position {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (Array.isArray(decoded)) {
      const [placedAt, id] = decoded as unknown[]
      if (typeof placedAt === 'string' && typeof id === 'string') return { placedAt, id }
    }
  } catch {
    // fall through to the error below
  }
  throw Object.assign(new InvalidCursorError(), { invalidParams: [{ in: 'querystring', name: '/cursor', reason: 'is not a valid cursor' }] })
}
