import createError from '@fastify/error'
import { Compile } from 'typebox/compile'
import {
  DEFAULT_PAGE_SIZE,
  IDENTITY_HEADER,
  kitchenPaths,
  OrderPage,
  Problem,
  REQUEST_ID_HEADER,
  TicketSchema,
  type KitchenListQuery,
  type TicketView,
  withTraceContext,
} from '@restaurant/shared'

export const KitchenUnavailableError = createError('KITCHEN_UNAVAILABLE', 'The kitchen cannot answer right now: %s', 503)

export interface KitchenClient {
  getTicket(orderId: string, requestId: string): Promise<TicketView | undefined>
  listOrders(query: KitchenListQuery, requestId: string): Promise<OrderPage>
}

const checkTicket = Compile(TicketSchema)
const checkPage = Compile(OrderPage)
const checkProblem = Compile(Problem)

export interface KitchenClientOptions {
  baseUrl: string
  timeoutMs: number
  /** A fresh signed identity of the waiter, which the kitchen requires on its internal API. */
  identity: () => string
}

/** The kitchen's internal read API over HTTP, with a deadline on every call. */
export function createKitchenClient({ baseUrl, timeoutMs, identity }: KitchenClientOptions): KitchenClient {
  async function call(path: string, requestId: string): Promise<Response> {
    try {
      return await fetch(new URL(path, baseUrl), {
        headers: withTraceContext({ [REQUEST_ID_HEADER]: requestId, [IDENTITY_HEADER]: identity(), accept: 'application/json' }),
        signal: AbortSignal.timeout(timeoutMs),
      })
    } catch (err) {
      throw new KitchenUnavailableError(err instanceof Error ? err.message : String(err), { cause: err })
    }
  }

  async function read<T>(response: Response, check: { Check(value: unknown): value is T }): Promise<T> {
    const body: unknown = await response.json().catch(() => undefined)
    if (response.ok && check.Check(body)) return body
    if (response.status < 500 && checkProblem.Check(body)) throw clientProblem(body)
    throw new KitchenUnavailableError(`status ${response.status}`)
  }

  return {
    async getTicket(orderId, requestId) {
      const response = await call(kitchenPaths.ticket(orderId), requestId)
      return response.status === 404 ? undefined : read(response, checkTicket)
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

/** A 4xx from the kitchen (e.g. a bad cursor) is the caller's mistake: pass it on as it is. */
function clientProblem(problem: Problem): Error {
  const code = problem.code.toUpperCase().replaceAll('-', '_')
  return Object.assign(new Error(problem.title), { statusCode: problem.status, code, invalidParams: problem.invalidParams })
}
