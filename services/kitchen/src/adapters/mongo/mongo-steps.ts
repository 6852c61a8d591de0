import type { Collection } from 'mongodb'
import type { Order } from '@restaurant/contracts/orders'
import { isDuplicate } from '@restaurant/platform/stores/mongo-errors'
import { committer, type TicketDocument } from './mongo-ticket-documents.js'

/** A state of an order and the claim whose holder wrote it (none when no holder did). */
export type Step = Pick<TicketDocument, 'order' | 'committedBy'>

/** One step of one order: `_id` is `{orderId}@{version}`, unique, so each version of an order is written once. */
export type StepDocument = Step & { _id: string }

const stepId = (order: Pick<Order, 'id' | 'version'>) => `${order.id}@${order.version}`

/**
 * A transition is won by inserting its step (the order's next version) beside the tickets, whose `_id` is
 * unique: an insert is atomic on every server that speaks MongoDB's protocol (FerretDB 1.x's filtered update is
 * a read, then a write, and two writers can both match). Only the winner then writes the ticket, so ticket writes
 * are one at a time. A winner that died before writing the ticket leaves it a step behind until the next writer
 * loses that step and writes it: the kitchen that takes the order over.
 */
export function mongoSteps(tickets: Collection<TicketDocument>, steps: Collection<StepDocument>) {
  const write = ({ order, committedBy }: Step) => {
    const fields = { order, status: order.status, placedAt: order.placedAt }
    return tickets.updateOne({ _id: order.id }, committedBy === undefined ? { $set: fields, $unset: { committedBy: '' } } : { $set: { ...fields, committedBy } })
  }

  /**
   * Writes to the ticket the steps won after `version` whose writer died before writing them. Only a writer
   * that loses a step looks: a lookup of an `_id` that is not there scans the whole collection on FerretDB 1.x.
   */
  const finishSteps = async (orderId: string, version: number): Promise<void> => {
    for (let next = await steps.findOne({ _id: stepId({ id: orderId, version: version + 1 }) }); next; ) {
      await write({ order: next.order, ...committer(next.committedBy) })
      next = await steps.findOne({ _id: stepId({ id: orderId, version: next.order.version + 1 }) })
    }
  }

  /** Takes the order's next step and writes it to the ticket; false when another writer took that step first. */
  async function take(order: Order, committedBy: number | undefined): Promise<boolean> {
    const step = { order, ...committer(committedBy) }
    try {
      await steps.insertOne({ _id: stepId(order), ...step })
    } catch (error) {
      if (!isDuplicate(error)) throw error
      await finishSteps(order.id, order.version - 1)
      return false
    }
    await write(step)
    return true
  }

  return { take }
}
