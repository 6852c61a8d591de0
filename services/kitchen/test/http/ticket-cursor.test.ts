import t from 'tap'
import { decodeCursor, encodeCursor } from '../../src/http/ticket-cursor.js'

t.test('a cursor gives back the position it was made from', async (t) => {
  const position = { placedAt: '2024-01-01T00:00:00.000Z', id: 'order-1' }
  t.strictSame(decodeCursor(encodeCursor(position)), position)
})

t.test('a cursor this API did not make is refused as a bad request naming the parameter', async (t) => {
  const refused = { code: 'INVALID_CURSOR', statusCode: 400, invalidParams: [{ in: 'querystring', name: '/cursor', reason: 'is not a valid cursor' }] }
  t.throws(() => decodeCursor('not base64 json'), refused)
  t.throws(() => decodeCursor(Buffer.from('{"placedAt":"a","id":"b"}').toString('base64url')), refused, 'an object is not a position')
  t.throws(() => decodeCursor(Buffer.from('["a",1]').toString('base64url')), refused, 'nor is a pair that is not two strings')
})
