import type { CookedUnit } from '@restaurant/contracts/kitchen-api'
import type { Order } from '@restaurant/contracts/orders'
import type { Claim, KitchenLease, StartedUnit } from '../../domain/claims.js'
import { storedOrder, ticketOf, type Ticket } from '../../domain/ticket.js'

/** Rows of the ticket database (see sqlite-database.ts) and their translation; SQL's NULL is an absent field. */
export interface TicketRow {
  order_id: string
  placed_at: string
  status: string
  owner: string | null
  order_json: string
  fingerprint: string | null
  committed_by: number | null
}

export interface ClaimRow {
  order_id: string
  number: number
  holder: string
  kitchen: string
  started_at: string
  lease: string
  abandoned_at: string | null
}

export interface LeaseRow {
  id: string
  kitchen: string
  expires_at: number
}

export interface WitnessRow {
  order_id: string
  claim: number
  unit: number
  kitchen: string
  menu_item_id: string
  started_at: string
  ended_at: string | null
  abandoned_at: string | null
}

export function ticketRow({ order, fingerprint, committedBy }: Ticket): TicketRow {
  return {
    order_id: order.id,
    placed_at: order.placedAt,
    status: order.status,
    owner: order.owner ?? null,
    order_json: JSON.stringify(order),
    fingerprint: fingerprint ?? null,
    committed_by: committedBy ?? null,
  }
}

export function orderOf(row: Pick<TicketRow, 'order_json'>): Order {
  return storedOrder(JSON.parse(row.order_json) as Order)
}

export function ticketOfRow(row: TicketRow): Ticket {
  const ticket = ticketOf({ order: JSON.parse(row.order_json) as Order, ...(row.fingerprint === null ? {} : { fingerprint: row.fingerprint }) })
  return row.committed_by === null ? ticket : { ...ticket, committedBy: row.committed_by }
}

export function claimRow(claim: Claim): ClaimRow {
  return {
    order_id: claim.orderId,
    number: claim.number,
    holder: claim.holder,
    kitchen: claim.kitchen,
    started_at: claim.startedAt,
    lease: claim.lease,
    abandoned_at: claim.abandonedAt ?? null,
  }
}

export function claimOf(row: ClaimRow): Claim {
  const claim: Claim = { orderId: row.order_id, number: row.number, holder: row.holder, kitchen: row.kitchen, startedAt: row.started_at, lease: row.lease }
  return row.abandoned_at === null ? claim : { ...claim, abandonedAt: row.abandoned_at }
}

export function witnessRow(orderId: string, claim: number, started: StartedUnit): WitnessRow {
  const { unit, kitchen, menuItemId, startedAt } = started
  return { order_id: orderId, claim, unit, kitchen, menu_item_id: menuItemId, started_at: startedAt, ended_at: null, abandoned_at: null }
}

export function cookedUnitOf(row: WitnessRow): CookedUnit {
  return { kitchen: row.kitchen, unit: row.unit, menuItemId: row.menu_item_id, startedAt: row.started_at, ...ended(row) }
}

function ended(row: { ended_at: string | null; abandoned_at: string | null }): { endedAt?: string; abandonedAt?: string } {
  return { ...(row.ended_at === null ? {} : { endedAt: row.ended_at }), ...(row.abandoned_at === null ? {} : { abandonedAt: row.abandoned_at }) }
}

export function leaseOf(row: LeaseRow): KitchenLease {
  return { id: row.id, kitchen: row.kitchen, expiresAt: row.expires_at }
}
