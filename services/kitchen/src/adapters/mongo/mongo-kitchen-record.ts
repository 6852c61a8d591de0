import type { Collection, OptionalUnlessRequiredId } from 'mongodb'
import type { CookedUnit } from '@restaurant/contracts/kitchen-api'
import type { Order } from '@restaurant/contracts/orders'
import { isDuplicate } from '@restaurant/platform/stores/mongo-errors'
import type { Claim, ClaimChange, KitchenLease, UnitEnd } from '../../domain/claims.js'
import type { TicketStore } from '../../use-cases/ticket-store.js'

/** A claim under `_id` `{orderId}#{number}`, unique: of two takers of one number, the insert of exactly one succeeds. */
export type ClaimDocument = Claim & { _id: string }
/** One cooking of one unit under `_id` `{orderId}#{claim}#{unit}`: each claim's cooking of a unit has its own record. */
export type WitnessDocument = CookedUnit & { _id: string; orderId: string; claim: number }
/** How that cooking was settled, under the same `_id`. */
export type UnitEndDocument = { _id: string; endedAt?: string; abandonedAt?: string }

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
    insertClaim: (claim) => insertedFirst(claims, { _id: claimId(claim.orderId, claim.number), ...claim }),
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

/** The two collections of the witness: each cooking's start, and its settlement (its end, or its abandonment). */
export interface WitnessCollections {
  starts: Collection<WitnessDocument>
  ends: Collection<UnitEndDocument>
}

/**
 * The witness, keyed by order, claim and unit. A cooking is settled by the insert of its end, so exactly one
 * settlement stands whoever races: the holder finishing it, or a taker closing the claim. Its records are read by
 * `_id` (every claim of the order times every unit the order has), in parallel: a filter on `orderId` would scan the
 * collection on FerretDB 1.x.
 */
export function mongoWitness(
  { starts, ends }: WitnessCollections,
  claimNumbers: (orderId: string) => Promise<number[]>,
  linesOf: (orderId: string) => Promise<Order['lines'] | undefined>,
): Pick<TicketStore, 'recordUnit' | 'settleUnit' | 'closeEarlierClaims' | 'cookedUnits'> {
  const settle = async (orderId: string, claim: number, unit: number, end: UnitEnd) => insertedFirst(ends, { _id: witnessId(orderId, claim, unit), ...end })
  return {
    // A start recorded by an earlier try of the same insert is the same start.
    recordUnit: async (orderId, claim, started) => void (await insertedFirst(starts, { _id: witnessId(orderId, claim, started.unit), orderId, claim, ...started })),
    settleUnit: settle,
    async closeEarlierClaims(orderId, claim, units, at) {
      const earlier = Array.from({ length: claim - 1 }, (_, i) => i + 1)
      await Promise.all(earlier.flatMap((number) => Array.from({ length: units }, (_, unit) => settle(orderId, number, unit, { abandonedAt: at }))))
    },
    async cookedUnits(orderId) {
      const [numbers, lines] = await Promise.all([claimNumbers(orderId), linesOf(orderId)])
      const units = lines ? unitCount(lines) : 0
      const ids = numbers.flatMap((claim) => Array.from({ length: units }, (_, unit) => witnessId(orderId, claim, unit)))
      const read = (_id: string) => Promise.all([starts.findOne({ _id }), ends.findOne({ _id })])
      return (await Promise.all(ids.map(read))).flatMap(([start, end]) => {
        if (!start) return []
        const { _id, orderId: _orderId, claim: _claim, ...cooked } = start
        return [{ ...cooked, ...(end && endOf(end)) }]
      })
    },
  }
}

/** True when the document was inserted, false when one with its `_id` was there first. */
async function insertedFirst<T extends { _id: string }>(collection: Collection<T>, doc: OptionalUnlessRequiredId<T>): Promise<boolean> {
  try {
    await collection.insertOne(doc)
    return true
  } catch (error) {
    if (isDuplicate(error)) return false
    throw error
  }
}

function endOf({ endedAt, abandonedAt }: UnitEndDocument): Partial<CookedUnit> {
  return endedAt === undefined ? (abandonedAt === undefined ? {} : { abandonedAt }) : { endedAt }
}

/** Units are numbered from 0 across the order's lines in line order: one per unit of each line's quantity. */
function unitCount(lines: Order['lines']): number {
  return lines.reduce((sum, line) => sum + line.quantity, 0)
}

function definedFields(change: ClaimChange): ClaimChange {
  return Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined))
}
