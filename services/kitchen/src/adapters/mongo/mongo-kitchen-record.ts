import type { Collection } from 'mongodb'
import type { CookedUnit } from '@restaurant/contracts/kitchen-api'
import type { Order } from '@restaurant/contracts/orders'
import { isDuplicate } from '@restaurant/platform/stores/mongo-errors'
import type { Claim, ClaimChange, KitchenLease } from '../../domain/claims.js'
import type { TicketStore } from '../../use-cases/ticket-store.js'

/** A claim under `_id` `{orderId}#{number}`, unique: of two takers of one number, the insert of exactly one succeeds. */
export type ClaimDocument = Claim & { _id: string }
/** One cooking of one unit under `_id` `{orderId}#{claim}#{unit}`: each claim's cooking of a unit has its own record. */
export type WitnessDocument = CookedUnit & { _id: string; orderId: string; claim: number }

const claimId = (orderId: string, number: number) => `${orderId}#${number}`
const witnessId = (orderId: string, claim: number, unit: number) => `${orderId}#${claim}#${unit}`

type ClaimMethods = Pick<TicketStore, 'claims' | 'insertClaim' | 'updateClaim'>
/** A kitchen lease under `_id` = its id. */
export type LeaseDocument = Omit<KitchenLease, 'id'> & { _id: string }

/**
 * Claims, read and written by `_id` only: on FerretDB 1.x only an exact `_id` filter uses an index, and a
 * filtered update is a read then a write, which is safe here because only a claim's holder updates it.
 */
export function mongoClaims(claims: Collection<ClaimDocument>): ClaimMethods & { exists(orderId: string, number: number): Promise<boolean> } {
  return {
    async claims(orderId) {
      const found: Claim[] = []
      for (;;) {
        const doc = await claims.findOne({ _id: claimId(orderId, found.length + 1) })
        if (!doc) return found
        const { _id, ...claim } = doc
        found.push(claim)
      }
    },
    async insertClaim(claim) {
      try {
        await claims.insertOne({ _id: claimId(claim.orderId, claim.number), ...claim })
        return true
      } catch (error) {
        if (isDuplicate(error)) return false
        throw error
      }
    },
    async updateClaim(orderId, number, change) {
      const set = definedFields(change)
      // A `$set` of nothing is an error to the server.
      if (Object.keys(set).length > 0) await claims.updateOne({ _id: claimId(orderId, number) }, { $set: set })
    },
    exists: async (orderId, number) => (await claims.findOne({ _id: claimId(orderId, number) }, { projection: { _id: 1 } })) !== null,
  }
}

/** Kitchen leases, by `_id`: only the lease's kitchen renews it, so FerretDB's read-then-write update is safe. */
export function mongoLeases(leases: Collection<LeaseDocument>): Pick<TicketStore, 'insertLease' | 'renewLease' | 'lease'> {
  return {
    insertLease: async ({ id, ...lease }) => void (await leases.insertOne({ _id: id, ...lease })),
    renewLease: async (id, expiresAt) => void (await leases.updateOne({ _id: id }, { $set: { expiresAt } })),
    async lease(id) {
      const doc = await leases.findOne({ _id: id })
      if (!doc) return undefined
      const { _id, ...lease } = doc
      return { id: _id, ...lease }
    },
  }
}

/**
 * The witness, keyed by order, claim and unit. Its records are read by `_id` (every claim of the order times
 * every unit the order has), in parallel: a filter on `orderId` would scan the collection on FerretDB 1.x.
 */
export function mongoWitness(
  witness: Collection<WitnessDocument>,
  claimNumbers: (orderId: string) => Promise<number[]>,
  linesOf: (orderId: string) => Promise<Order['lines'] | undefined>,
): Pick<TicketStore, 'recordUnit' | 'cookedUnits'> {
  return {
    async recordUnit(orderId, claim, cooked) {
      const _id = witnessId(orderId, claim, cooked.unit)
      // The start is new, the end replaces it: an insert first spares the start a lookup (on FerretDB 1.x, a
      // lookup of an `_id` that is not there scans the whole collection).
      try {
        await witness.insertOne({ _id, orderId, claim, ...cooked })
      } catch (error) {
        if (!isDuplicate(error)) throw error
        await witness.replaceOne({ _id }, { orderId, claim, ...cooked })
      }
    },
    async cookedUnits(orderId) {
      const [numbers, lines] = await Promise.all([claimNumbers(orderId), linesOf(orderId)])
      const units = lines ? unitCount(lines) : 0
      const ids = numbers.flatMap((claim) => Array.from({ length: units }, (_, unit) => witnessId(orderId, claim, unit)))
      const docs = await Promise.all(ids.map((_id) => witness.findOne({ _id })))
      return docs.flatMap((doc) => {
        if (!doc) return []
        const { _id, orderId: _orderId, claim: _claim, ...cooked } = doc
        return [cooked]
      })
    },
  }
}

/** Units are numbered from 0 across the order's lines in line order: one per unit of each line's quantity. */
function unitCount(lines: Order['lines']): number {
  return lines.reduce((sum, line) => sum + line.quantity, 0)
}

function definedFields(change: ClaimChange): ClaimChange {
  return Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined))
}
