import t, { type Test } from 'tap'
import { createMongoAuditLog } from '../../src/stores/mongo-audit-log.js'
import { auditLogContract } from './audit-log.contract.js'
import { reopenableMongoStore } from './reopenable-store.js'

const url = process.env.MONGO_URL

/** A log over a database unique to the test, emptied once every log opened over it is closed. */
const makeLog = (t: Test, mongoUrl: string) => reopenableMongoStore(t, mongoUrl, 'audit', createMongoAuditLog)

if (!url) console.log('# MongoDB audit log skipped: MONGO_URL is not set (CI sets it)')
t.test('MongoDB audit log', { skip: url ? false : 'MONGO_URL is not set: no MongoDB server on this machine' }, (t) => {
  if (!url) return t.end()
  auditLogContract(t, { makeLog: (t) => makeLog(t, url) })
  t.end()
})
