import createError from '@fastify/error'
import { Compile } from 'typebox/compile'
import { BalancedPool, RetryAgent, type Dispatcher } from 'undici'
import { IDENTITY_HEADER } from '@restaurant/contracts/identity'
import { kitchenPaths, MenuItemHistory, TicketSchema } from '@restaurant/contracts/kitchen-api'
import { MenuItemSchema, MenuSchema } from '@restaurant/contracts/menu'
import { DEFAULT_PAGE_SIZE, OrderPage } from '@restaurant/contracts/orders'
import { Problem } from '@restaurant/contracts/problem'
import type { ServiceCall } from '@restaurant/platform/auth/service-tokens'
import { REQUEST_ID_HEADER } from '@restaurant/platform/http/server'
import { withTraceContext } from '@restaurant/platform/runtime/tracing'
import type { KitchenRecords, MenuOwner } from '../use-cases/ports.js'

export const KitchenUnavailableError = createError('KITCHEN_UNAVAILABLE', 'The kitchen cannot answer right now: %s', 503)

const checkTicket = Compile(TicketSchema)
const checkPage = Compile(OrderPage)
const checkProblem = Compile(Problem)
const checkMenu = Compile(MenuSchema)
const checkMenuItem = Compile(MenuItemSchema)
const checkHistory = Compile(MenuItemHistory)

export interface KitchenClientOptions {
  /** The kitchen's replicas: calls are spread over them, and one that cannot be reached is passed over. */
  kitchenUrls: readonly [string, ...string[]]
  timeoutMs: number
  /** The waiter's identity signed for one call, which the kitchen requires on its internal API. */
  identity: (call: ServiceCall) => string
}

/**
 * The kitchen's internal API over HTTP (undici, pooled keep-alive connections): its tickets, and the menu it owns.
 * Every call has a deadline, and every answer's body is read or discarded, so that its connection goes back to
 * the pool.
 */
export function createKitchenClient({ kitchenUrls, timeoutMs, identity }: KitchenClientOptions): KitchenRecords & MenuOwner {
  const kitchens = spreadOver(kitchenUrls)
  async function call(path: string, requestId: string, write?: { method: 'POST' | 'PATCH'; body: object }): Promise<Dispatcher.ResponseData> {
    try {
      return await kitchens.request({
        method: write?.method ?? 'GET',
        path,
        headers: withTraceContext({ [REQUEST_ID_HEADER]: requestId, [IDENTITY_HEADER]: identity({ method: write?.method ?? 'GET', url: path }), accept: 'application/json', ...(write ? { 'content-type': 'application/json' } : {}) }),
        ...(write ? { body: JSON.stringify(write.body) } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      })
    } catch (err) {
      throw new KitchenUnavailableError(err instanceof Error ? err.message : String(err), { cause: err })
    }
  }

  return {
    async getTicket(orderId, requestId) {
      const response = await call(kitchenPaths.ticket(orderId), requestId)
      if (response.statusCode !== 404) return read(response, checkTicket)
      await response.body.dump()
      return undefined
    },
    async listOrders({ status, owner, limit = DEFAULT_PAGE_SIZE, cursor }, requestId) {
      const query = new URLSearchParams({
        limit: String(limit),
        ...(status ? { status } : {}),
        ...(owner ? { owner } : {}),
        ...(cursor ? { cursor } : {}),
      })
      return read(await call(`${kitchenPaths.tickets}?${query}`, requestId), checkPage)
    },
    menu: async (requestId) => read(await call(kitchenPaths.menu, requestId), checkMenu),
    add: async (add, requestId) => read(await call(kitchenPaths.menuItems, requestId, { method: 'POST', body: add }), checkMenuItem),
    edit: async (id, edit, requestId) => read(await call(kitchenPaths.menuItem(id), requestId, { method: 'PATCH', body: edit }), checkMenuItem),
    history: async (id, requestId) => (await read(await call(`${kitchenPaths.menuItem(id)}/history`, requestId), checkHistory)).states,
  }
}

export type KitchenClient = ReturnType<typeof createKitchenClient>

/**
 * Calls spread over the replicas (undici's BalancedPool, which weighs down one that fails to connect); a call that
 * could not reach one, or was cut off, is made again at once, up to once per replica, if it is a read: an edit of
 * the menu that was cut off may have been stored, and is the caller's to retry (with its `If-Match`).
 */
function spreadOver(urls: readonly string[]): Dispatcher {
  return new RetryAgent(new BalancedPool([...urls]), { methods: ['GET'], statusCodes: [], maxRetries: urls.length, minTimeout: 0 })
}

async function read<T>({ statusCode, body }: Dispatcher.ResponseData, check: { Check(value: unknown): value is T }): Promise<T> {
  const answer: unknown = await body.json().catch(() => undefined)
  if (statusCode < 300 && check.Check(answer)) return answer
  if (statusCode < 500 && checkProblem.Check(answer)) throw clientProblem(answer)
  throw new KitchenUnavailableError(`status ${statusCode}`)
}

function clientProblem(problem: Problem): Error {
  const code = problem.code.toUpperCase().replaceAll('-', '_')
  return Object.assign(new Error(problem.title), { statusCode: problem.status, code, invalidParams: problem.invalidParams, current: problem.current })
}
