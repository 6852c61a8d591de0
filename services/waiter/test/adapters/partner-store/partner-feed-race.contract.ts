import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import type { Test } from 'tap'
import type { FeedEvent } from '@restaurant/contracts/partners'
import type { PartnerStore } from '../../../src/use-cases/partner-store.js'
import { appendAll, EVENTS_PER_WRITER, SHARED_EVENTS, writerEventIds } from './partner-feed-writes.js'
import type { PartnerStoreSpec } from './partner-store-spec.js'

type MakeStore = (t: Test) => Promise<{ store: PartnerStore; reopen: () => Promise<PartnerStore>; spec: PartnerStoreSpec }>

const WRITERS = ['w1', 'w2', 'w3', 'w4']
const ALL_IDS = [...new Set(WRITERS.flatMap(writerEventIds))].sort()

/**
 * Four writers append 200 events each at once (the shared ones, and some of their own, more than once) while a
 * reader follows the feed with a cursor: every event is appended once, numbered 1..N, and every page the reader
 * gets starts right after its cursor without a gap, so no event that commits late is ever skipped.
 */
export function partnerFeedRaceContract(t: Test, makeStore: MakeStore): void {
  t.test(`four store instances appending ${EVENTS_PER_WRITER} events each at once, read along by a cursor`, async (t) => {
    const { store, reopen } = await makeStore(t)
    const writers = [store, ...(await Promise.all(WRITERS.slice(1).map(() => reopen())))]
    await checkRace(t, store, () => Promise.all(WRITERS.map((writer, n) => appendAll(writers[n] ?? store, writer))))
  })

  t.test(`four processes appending ${EVENTS_PER_WRITER} events each at once, read along by a cursor`, async (t) => {
    const { store, spec } = await makeStore(t)
    const children = await Promise.all(WRITERS.map((writer) => startWriter(t, spec, writer)))
    await checkRace(t, store, () => Promise.all(children.map((child) => child.go())))
  })
}

async function checkRace(t: Test, reader: PartnerStore, write: () => Promise<string[][]>): Promise<void> {
  const started = performance.now()
  let written = false
  const writing = write().finally(() => (written = true))
  const { events, polls, gaps } = await readAlong(reader, () => written)
  const appended = await writing
  const elapsedMs = performance.now() - started
  t.strictSame(gaps, [], 'every page began right after the cursor and ran without a gap')
  t.strictSame(events.map((event) => event.sequence), ALL_IDS.map((_, n) => n + 1), 'numbered 1..N, each once')
  t.strictSame(events.map((event) => event.id).sort(), ALL_IDS, 'every event, once')
  t.strictSame(appended.flat().sort(), ALL_IDS, 'each appended by exactly one writer (the others were told it was there)')
  t.comment(`${ALL_IDS.length} events (${SHARED_EVENTS} shared) in ${elapsedMs.toFixed(0)} ms, ${(ALL_IDS.length / (elapsedMs / 1000)).toFixed(0)} appends/s; the reader polled ${polls} times`)
}

/** Follows the feed until the writers are done and nothing more is there; where a page did not begin at the cursor. */
async function readAlong(store: PartnerStore, done: () => boolean) {
  const events: FeedEvent[] = []
  const gaps: { cursor: number; got: number[] }[] = []
  let polls = 0
  for (let cursor = 0; ; polls++) {
    const last = done()
    const page = await store.feed.after(cursor, [], 50)
    if (page.some((event, n) => event.sequence !== cursor + 1 + n)) gaps.push({ cursor, got: page.map((event) => event.sequence) })
    events.push(...page)
    cursor = page.at(-1)?.sequence ?? cursor
    if (page.length === 0 && last) return { events, polls, gaps }
    if (page.length === 0) await sleep(1)
  }
}

/** A writer in a child process (partner-feed-writer.ts, through tsx), ready to go; `go` resolves to the ids it appended. */
async function startWriter(t: Test, spec: PartnerStoreSpec, writer: string) {
  const script = fileURLToPath(new URL('./partner-feed-writer.ts', import.meta.url))
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), script, JSON.stringify(spec), writer], { stdio: ['pipe', 'pipe', 'inherit'] })
  t.teardown(() => void child.kill())
  const exited = once(child, 'exit')
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  const next = async () => {
    const { value, done } = await lines.next()
    if (done === true) throw new Error(`writer ${writer} ended early`)
    return String(value)
  }
  await next()
  return {
    go: async () => {
      child.stdin.end('go\n')
      const appended = JSON.parse(await next()) as string[]
      await exited
      return appended
    },
  }
}
