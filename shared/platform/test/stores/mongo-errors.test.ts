import { MongoNetworkError, MongoServerError } from 'mongodb'
import t from 'tap'
import { isDuplicate, isMongoUnavailable } from '../../src/stores/mongo-errors.js'

t.test('a server that cannot serve now is unavailable; a request the server refuses is not', async (t) => {
  const busy = new MongoServerError({ errmsg: '[collection.go:177 sqlite.(*collection).UpdateAll.func1] database is locked (5) (SQLITE_BUSY)', code: 1 })
  t.equal(isMongoUnavailable(busy), true, "FerretDB's SQLite locked past its wait")
  t.equal(isMongoUnavailable(new MongoNetworkError('connection reset')), true)
  t.equal(isMongoUnavailable(new MongoServerError({ errmsg: 'E11000 duplicate key error', code: 11000 })), false)
  t.equal(isMongoUnavailable(new Error('a bug')), false)
})

t.test('only a unique key refused is a duplicate', async (t) => {
  t.equal(isDuplicate(new MongoServerError({ errmsg: 'E11000 duplicate key error', code: 11000 })), true)
  t.equal(isDuplicate(new MongoServerError({ errmsg: 'not primary', code: 10107 })), false)
  t.equal(isDuplicate(new Error('E11000')), false)
})
