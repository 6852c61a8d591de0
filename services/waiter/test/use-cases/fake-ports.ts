import type { Test } from 'tap'
import type { Identity } from '@restaurant/contracts/identity'
import type { TicketView } from '@restaurant/contracts/kitchen-api'
import { findMenuItem, firstVersion, menu, menuVersionOf, type MenuItem } from '@restaurant/contracts/menu'
import { CancelOrderMessage, OrderPlacedMessage, topologyFor } from '@restaurant/contracts/messages'
import type { Order } from '@restaurant/contracts/orders'
import { createMemoryBus } from '@restaurant/platform/messaging/memory-bus'
import { DependencyUnavailableError } from '@restaurant/platform/runtime/errors'
import { createLogger } from '@restaurant/platform/runtime/logger'
import type { Memory } from '../../src/domain/idempotency.js'
import type { KitchenRecords, MenuCopy, MenuOwner, OrderViews, RequestContext, Reservations } from '../../src/use-cases/ports.js'

/** In-memory stand-ins for the use cases' ports, each with what a test looks at and a switch to make it fail. */

const redisDown = () => new DependencyUnavailableError('Redis')

/** Order views that keep the highest version, record what they announce, and fail while `down`. */
export function fakeViews(...initial: Order[]) {
  const stored = new Map(initial.map((order) => [order.id, order]))
  const announced: { orderId: string; status: string; correlationId: string }[] = []
  const state = { down: false, broken: false, refused: 0, refreshTurn: true, stored, announced }
  const views: OrderViews = {
    async get(orderId) {
      if (state.down) throw redisDown()
      return stored.get(orderId)
    },
    async apply(order, correlationId) {
      if (state.down) throw (state.refused++, redisDown())
      if (state.broken) throw new Error('WRONGTYPE Operation against a key holding the wrong kind of value')
      if ((stored.get(order.id)?.version ?? 0) >= order.version) return false
      stored.set(order.id, order)
      if (correlationId) announced.push({ orderId: order.id, status: order.status, correlationId })
      return true
    },
    async takeRefreshTurn() {
      if (state.down) throw redisDown()
      return state.refreshTurn
    },
  }
  return Object.assign(state, { views })
}

/** Reservations of idempotency keys in a map, with Redis's memory as the test sets it. */
export function fakeReservations(memory: Memory = 'complete') {
  const reserved = new Map<string, string>()
  const state = { down: false, memory, reserved, epoch: 'epoch-1', rememberedSince: [] as (string | undefined)[], rememberedIn: [] as string[] }
  const reservations: Reservations = {
    async reserve(orderId, fingerprint) {
      if (state.down) throw redisDown()
      const earlier = reserved.get(orderId)
      if (earlier === undefined) reserved.set(orderId, fingerprint)
      return earlier === undefined ? { memory: state.memory } : { earlier, memory: state.memory }
    },
    async epoch() {
      return state.epoch
    },
    async rememberSince(newestPlacedAt, epoch) {
      if (epoch !== state.epoch) return state.epoch
      state.rememberedSince.push(newestPlacedAt)
      state.rememberedIn.push(epoch)
      return epoch
    },
  }
  return Object.assign(state, { reservations })
}

/** The kitchen's records: tickets by order id, newest orders for a list, and whether it answers at all. */
export function fakeKitchen(...tickets: TicketView[]) {
  const state = { unreachable: false, tickets: new Map(tickets.map((ticket) => [ticket.order.id, ticket])), listed: [] as unknown[] }
  const unreachable = () => Object.assign(new Error('The kitchen cannot answer right now'), { code: 'KITCHEN_UNAVAILABLE', statusCode: 503 })
  const kitchen: KitchenRecords = {
    async getTicket(orderId) {
      if (state.unreachable) throw unreachable()
      return state.tickets.get(orderId)
    },
    async listOrders(query) {
      if (state.unreachable) throw unreachable()
      state.listed.push(query)
      const orders = [...state.tickets.values()].map((ticket) => ticket.order).filter((order) => !query.owner || order.owner === query.owner)
      return { orders: orders.sort((a, b) => b.placedAt.localeCompare(a.placedAt)).slice(0, query.limit) }
    },
  }
  return Object.assign(state, { kitchen })
}

export const ticketOf = (order: Order, fingerprint?: string): TicketView => ({
  order,
  ...(fingerprint === undefined ? {} : { fingerprint }),
  cookedUnits: [],
  cookingAttempts: [],
})

/**
 * The menu's owner (the kitchen) and this waiter's copy of it, sharing one list: the seed menu, with items marked
 * sold out as the test says. The owner refuses as the kitchen does: unknown (404), stale (412), and fails while `down`.
 */
export function fakeMenu(availability: Record<string, boolean> = {}) {
  const items: MenuItem[] = menu.map((item) => ({ ...item, available: availability[item.id] ?? item.available }))
  const state = { items, down: false, applied: [] as MenuItem[] }
  const refusal = (statusCode: number, code: string, extras: object = {}) => Object.assign(new Error(code), { statusCode, code, ...extras })
  const store = (item: MenuItem) => {
    const index = items.findIndex((held) => held.id === item.id)
    if (index < 0) items.push(item)
    else items[index] = item
    return item
  }
  const copy: MenuCopy = {
    current: () => ({ version: menuVersionOf(items), items: [...items] }),
    apply: (item) => void state.applied.push(item),
  }
  const menuOwner: MenuOwner = {
    async menu() {
      if (state.down) throw new DependencyUnavailableError('the kitchen')
      return copy.current()
    },
    async add({ by, item }) {
      if (state.down) throw new DependencyUnavailableError('the kitchen')
      if (findMenuItem(items, item.id)) throw refusal(409, 'MENU_ITEM_EXISTS')
      return store(firstVersion(item, by, new Date().toISOString()))
    },
    async edit(id, edit) {
      if (state.down) throw new DependencyUnavailableError('the kitchen')
      const current = findMenuItem(items, id)
      if (!current) throw refusal(404, 'MENU_ITEM_NOT_FOUND')
      if ('madeFrom' in edit && edit.madeFrom !== current.version) throw refusal(412, 'STALE_EDIT', { current })
      const changes = 'change' in edit ? edit.change : 'retire' in edit ? { retired: true } : { available: edit.available }
      return store({ ...current, ...changes, version: current.version + 1, changedBy: edit.by, changedAt: new Date().toISOString() })
    },
    async history(id) {
      const current = findMenuItem(items, id)
      if (!current) throw refusal(404, 'MENU_ITEM_NOT_FOUND')
      return [current]
    },
  }
  return Object.assign(state, { menu: copy, menuOwner })
}

/** The menu's ports as the waiter takes them. */
export const menuPorts = ({ menu, menuOwner }: ReturnType<typeof fakeMenu>) => ({ menu, menuOwner })

export interface LogLine {
  level: number
  msg: string
  [field: string]: unknown
}

/** The lines logged with this message. */
export const messages = (lines: LogLine[], msg: string) => lines.filter((line) => line.msg === msg)

/** A real pino logger whose lines land in `lines`, parsed. */
export function capturedLog() {
  const lines: LogLine[] = []
  const log = createLogger({ name: 'test', level: 'debug', pretty: false, destination: { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) } })
  return { log, lines }
}

export const alice: Identity = { subject: 'alice', roles: ['customer'] }
export const bob: Identity = { subject: 'bob', roles: ['customer'] }
export const staff: Identity = { subject: 'sam', roles: ['staff'] }

/** A request's context, from `identity`, logging into the returned lines. */
export function requestFrom(identity: Identity, requestId = 'req-1'): RequestContext & { lines: LogLine[] } {
  const { log, lines } = capturedLog()
  return { requestId, identity, log, lines }
}

/**
 * The in-memory bus with the kitchen's side bound: what the waiter publishes reaches a consumer that
 * checks it against the message contract and keeps it, as the kitchen's queues would.
 */
export async function busWithKitchen(t: Test) {
  const topology = topologyFor('unit')
  const bus = createMemoryBus({ topology, timeScale: 0.001 })
  t.teardown(() => bus.close())
  const received = { placed: [] as OrderPlacedMessage[], cancellations: [] as CancelOrderMessage[] }
  await bus.consume(topology.queues.kitchenOrders, OrderPlacedMessage, async (message) => void received.placed.push(message))
  await bus.consume(topology.queues.kitchenCancellations, CancelOrderMessage, async (message) => void received.cancellations.push(message))
  return { bus, topology, received }
}
