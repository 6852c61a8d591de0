import type { PartnerStore } from '../../../src/use-cases/partner-store.js'
import { buildEvent } from './partner-builders.js'

export const EVENTS_PER_WRITER = 200
/** Events every writer appends: each is appended by all of them. */
export const SHARED_EVENTS = 20
/** Of its own events, a writer appends the first ones twice. */
const REPEATED = 10

/** The events one writer appends, in order: its own (some twice) and the shared ones, interleaved. */
export function writerEventIds(writer: string): string[] {
  const own = Array.from({ length: EVENTS_PER_WRITER }, (_, n) => `evt_${writer}_${n}`)
  const shared = Array.from({ length: SHARED_EVENTS }, (_, n) => `evt_shared_${n}`)
  return [...own.flatMap((id, n) => (n % 10 === 0 ? [id, shared[n / 10] ?? id] : [id])), ...own.slice(0, REPEATED)]
}

/** Appends the writer's events all at once; the ids it appended (those for which append said true). */
export async function appendAll(store: PartnerStore, writer: string): Promise<string[]> {
  const ids = writerEventIds(writer)
  const appended = await Promise.all(ids.map((id) => store.feed.append(buildEvent(id), new Date())))
  return ids.filter((_, n) => appended[n])
}
