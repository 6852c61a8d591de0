import createError from '@fastify/error'
import { Compile } from 'typebox/compile'
import { BalancedPool, RetryAgent, type Dispatcher } from 'undici'
import { IDENTITY_HEADER } from '@restaurant/contracts/identity'
import { kitchenPaths, TicketSchema } from '@restaurant/contracts/kitchen-api'
import { DEFAULT_PAGE_SIZE, OrderPage } from '@restaurant/contracts/orders'
import { Problem } from '@restaurant/contracts/problem'
import { REQUEST_ID_HEADER } from '@restaurant/platform/http/server'
import { withTraceContext } from '@restaurant/platform/runtime/tracing'
import type { KitchenRecords } from '../use-cases/ports.js'

export const KitchenUnavailableError = createError('KITCHEN_UNAVAILABLE', 'The kitchen cannot answer right now: %s', 503)

const checkTicket = Compile(TicketSchema)
const checkPage = Compile(OrderPage)
const checkProblem = Compile(Problem)

export interface KitchenClientOptions {
  /** The kitchen's replicas: calls are spread over them, and one that cannot be reached is passed over. */
  kitchenUrls: readonly [string, ...string[]]
  timeoutMs: number
  /** A fresh signed identity of the waiter, which the kitchen requires on its internal API. */
  identity: () => string
}

/**
 * The kitchen's internal read API over HTTP (undici, pooled keep-alive connections), with a deadline on
 * every call. Every answer's body is read or discarded, so that its connection goes back to the pool.
 */
export function createKitchenClient({ kitchenUrls, timeoutMs, identity }: KitchenClientOptions): KitchenRecords {
  const kitchens = spreadOver(kitchenUrls)
  async function call(path: string, requestId: string): Promise<Dispatcher.ResponseData> {
    try {
      return await kitchens.request({
        method: 'GET',
        path,
        headers: withTraceContext({ [REQUEST_ID_HEADER]: requestId, [IDENTITY_HEADER]: identity(), accept: 'application/json' }),
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
  }
}

/**
 * Calls spread over the replicas (undici's BalancedPool, which weighs down one that fails to connect); a call that
 * could not reach one, or was cut off, is made again at once, up to once per replica: they are all reads.
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
  return Object.assign(new Error(problem.title), { statusCode: problem.status, code, invalidParams: problem.invalidParams })
}
