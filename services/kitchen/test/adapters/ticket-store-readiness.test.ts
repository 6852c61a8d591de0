import type Database from 'better-sqlite3'
import * as mongodb from 'mongodb'
import t, { type Test } from 'tap'
import { buildOrder } from '@restaurant/contracts/testing'
import { openTicketDatabase } from '../../src/adapters/sqlite/sqlite-database.js'
import type { TicketStore } from '../../src/use-cases/ticket-store.js'
import { dbName, dropCollections } from './mongo/mongo-test-store.js'

// `/ready` asks the ticket store to ping: whatever the store holds, that must cost one lookup, never a scan or a count.
const TICKETS = 200
const mongoUrl = process.env.MONGO_URL

interface Executed {
  sql: string
  parameters: unknown[]
}

/** Records each run of `statement` (its SQL and parameters) into `executed`. */
function recorded(statement: Database.Statement, executed: Executed[]): Database.Statement {
  for (const method of ['get', 'all', 'run', 'iterate'] as const) {
    const run = statement[method].bind(statement) as (...parameters: unknown[]) => unknown
    const recordedRun = (...parameters: unknown[]) => {
      executed.push({ sql: statement.source, parameters })
      return run(...parameters)
    }
    Object.assign(statement, { [method]: recordedRun })
  }
  return statement
}

/** The embedded store over a database that records every statement it runs. */
async function recordingSqliteStore(t: Test) {
  const executed: Executed[] = []
  const opened: Database.Database[] = []
  const openRecorded = (filename: string, nativeBinding?: string) => {
    const db = openTicketDatabase(filename, nativeBinding)
    const prepare = db.prepare.bind(db)
    opened.push(Object.assign(db, { prepare: (source: string) => recorded(prepare(source), executed) }))
    return db
  }
  const { createSqliteTicketStore } = await t.mockImport<typeof import('../../src/adapters/sqlite/sqlite-ticket-store.js')>('../../src/adapters/sqlite/sqlite-ticket-store.js', {
    '../../src/adapters/sqlite/sqlite-database.js': { openTicketDatabase: openRecorded },
  })
  const store = await createSqliteTicketStore({ dataDir: t.testdir() })
  t.teardown(() => store.close())
  return { store, executed, db: opened[0] }
}

async function fill(store: TicketStore): Promise<void> {
  for (let n = 0; n < TICKETS; n++) await store.insertIfAbsent({ order: buildOrder() })
}

t.test(`the embedded store's ping is one lookup by primary key, with ${TICKETS} tickets in it`, async (t) => {
  const { store, executed, db } = await recordingSqliteStore(t)
  await fill(store)
  executed.length = 0
  await store.ping()
  const ran = [...executed]
  t.equal(ran.length, 1, 'one statement')
  for (const { sql, parameters } of ran) {
    const plan = db?.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...parameters) as { detail: string }[]
    t.same(plan.map(({ detail }) => detail), ['SEARCH tickets USING PRIMARY KEY (order_id=?)'], sql)
  }
})

t.test(`the MongoDB store's ping is one ping command, with ${TICKETS} tickets in it`, { skip: mongoUrl ? false : 'MONGO_URL is not set: no MongoDB server on this machine' }, async (t) => {
  const commands: string[] = []
  class RecordingClient extends mongodb.MongoClient {
    constructor(url: string, options: mongodb.MongoClientOptions) {
      super(url, { ...options, monitorCommands: true })
      this.on('commandStarted', ({ commandName }) => commands.push(commandName))
    }
  }
  const { createMongoTicketStore } = await t.mockImport<typeof import('../../src/adapters/mongo/mongo-ticket-store.js')>('../../src/adapters/mongo/mongo-ticket-store.js', {
    mongodb: { ...mongodb, MongoClient: RecordingClient },
  })
  const collectionName = `tickets-readiness-${process.pid}-${Date.now()}`
  const store = await createMongoTicketStore({ url: mongoUrl ?? '', dbName, collectionName })
  t.teardown(async () => {
    await store.close()
    await dropCollections(mongoUrl ?? '', [collectionName])
  })
  await fill(store)
  commands.length = 0
  await store.ping()
  t.same(commands, ['ping'])
})
