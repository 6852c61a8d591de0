import { setTimeout as sleep } from 'node:timers/promises'
import createError from '@fastify/error'
import type { Collection } from 'mongodb'
import type { PartnerEvent } from '@restaurant/contracts/partners'
import { isDuplicate } from '@restaurant/platform/stores/mongo-errors'
import type { PartnerStore } from '../../use-cases/partner-store.js'

/** A feed event as stored: `_id` is the event's id (FerretDB finds a document by `_id` alone through an index). */
export interface FeedDocument {
  _id: string
  sequence: number
  type: string
  appendedAt: Date
  event: PartnerEvent
}

// Two first upserts of the head race to insert it: the one refused has nothing more to do.
const ignoreDuplicate = (error: unknown) => {
  if (!isDuplicate(error)) throw error
}

export const FeedContendedError = createError('FEED_CONTENDED', 'The event feed stayed contended: the event was not appended', 503)

/** Where the feed's numbers have reached: at or below the highest stored, and found by `_id`, unlike the highest. */
export interface FeedHeadDocument {
  _id: 'head'
  sequence: number
}

const MAX_TRIES = 100
const MAX_WAIT_MS = 50

/**
 * The feed's one sequence without transactions (FerretDB has none): an event takes the number after one seen
 * stored, by an insert that a unique `sequence` and the event id (`_id`) guard. Refused the number, the writer
 * knows that number is stored and tries the next; refused because the event is in, it is done. So the event
 * numbered n is inserted only once n - 1 was visible: a cursor never skips an event that commits late. Writers
 * start from the head, which each raises after its insert (FerretDB finds the highest only by sorting the whole
 * feed): it lags only by appends in flight or cut short, and pruning raises it to the highest it keeps before it
 * deletes anything. One instance appends one event at a time: racing itself gains nothing.
 */
export function mongoPartnerFeed(feed: Collection<FeedDocument>, heads: Collection<FeedHeadDocument>): PartnerStore['feed'] {
  const head = async () => (await heads.findOne({ _id: 'head' }))?.sequence ?? 0
  const raiseHead = (sequence: number) => heads.updateOne({ _id: 'head' }, { $max: { sequence } }, { upsert: true }).catch(ignoreDuplicate)
  const newest = async () => (await feed.find({}, { projection: { sequence: 1 } }).sort({ sequence: -1 }).limit(1).next())?.sequence ?? 0
  const isIn = async (event: PartnerEvent) => (await feed.findOne({ _id: event.id }, { projection: { _id: 1 } })) !== null
  const appendNow = async (event: PartnerEvent, at: Date): Promise<boolean> => {
    let sequence = await head()
    for (let tries = 1; tries <= MAX_TRIES; tries++) {
      sequence += 1
      try {
        await feed.insertOne({ _id: event.id, sequence, type: event.type, appendedAt: at, event })
        await raiseHead(sequence)
        return true
      } catch (error) {
        if (!isDuplicate(error)) throw error
        if (await isIn(event)) return false
      }
      // Refused: others are appending too. Waiting a random while, growing with the refusals, spreads them apart.
      await sleep(Math.random() * Math.min(2 ** tries, MAX_WAIT_MS))
      sequence = Math.max(sequence, await head())
    }
    throw new FeedContendedError()
  }
  let turn: Promise<unknown> = Promise.resolve()
  return {
    append(event, at) {
      const appended = turn.then(() => appendNow(event, at))
      turn = appended.catch(() => undefined)
      return appended
    },
    async after(after, types, limit) {
      const filter = { sequence: { $gt: after }, ...(types.length > 0 ? { type: { $in: [...types] } } : {}) }
      return (await feed.find(filter).sort({ sequence: 1 }).limit(limit).toArray()).map((doc) => ({ ...doc.event, sequence: doc.sequence }))
    },
    // The newest event stays, however old: the numbers go on from it.
    async prune(before) {
      const highest = await newest()
      await raiseHead(highest)
      return (await feed.deleteMany({ appendedAt: { $lt: before }, sequence: { $lt: highest } })).deletedCount
    },
  }
}
