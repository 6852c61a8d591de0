import type { FeedPage, FeedQuery } from '@restaurant/contracts/partners'
import type { PartnerStore } from './partner-store.js'

const DEFAULT_LIMIT = 100

/**
 * The feed from a cursor on: every event after it, in one sequence, of the types asked (all when none). Reading is
 * non-destructive: the same cursor gives the same events for as long as they are kept.
 */
export function createReadFeed(store: Pick<PartnerStore, 'feed'>) {
  return async function readFeed({ after, types, limit }: FeedQuery): Promise<FeedPage> {
    const from = Number(after ?? 0)
    const events = await store.feed.after(from, types ? types.split(',') : [], limit ?? DEFAULT_LIMIT)
    return { events, nextCursor: String(events.at(-1)?.sequence ?? from) }
  }
}
