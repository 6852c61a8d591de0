import { pino } from 'pino'
import t from 'tap'
import { redactUrl, waitFor } from '../../src/runtime/wait-for.js'

function logAnd() {
  const lines: Array<Record<string, unknown>> = []
  return { log: pino({}, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) }), lines }
}

t.test('a dependency that fails twice is tried until it answers, each wait logged with what it is and how to start it', async (t) => {
  const { log, lines } = logAnd()
  let attempts = 0
  const answer = await waitFor(async () => {
    attempts += 1
    if (attempts < 3) throw new Error('ECONNREFUSED')
    return 'connected'
  }, { what: 'Redis at redis://127.0.0.1:6379', hint: 'start Redis first', log })

  t.equal(answer, 'connected')
  t.equal(attempts, 3)
  t.match(lines, [
    { msg: 'waiting for a dependency to start', dependency: 'Redis at redis://127.0.0.1:6379', hint: 'start Redis first', attempt: 1, err: 'ECONNREFUSED' },
    { msg: 'waiting for a dependency to start', attempt: 2 },
  ])
  t.equal(lines.length, 2)
})

t.test('an aborted signal stops the waiting', async (t) => {
  const { log } = logAnd()
  const stop = new AbortController()
  const waiting = waitFor(() => Promise.reject(new Error('ECONNREFUSED')), { what: 'RabbitMQ', hint: 'start it', log, signal: stop.signal })
  stop.abort(new Error('closing'))
  await t.rejects(waiting)
})

t.test('a URL is logged with its password masked; one that does not parse is not logged at all', async (t) => {
  t.equal(redactUrl('amqp://guest:s3cret@rabbit:5672/vhost'), 'amqp://guest:***@rabbit:5672/vhost')
  t.equal(redactUrl('redis://127.0.0.1:6379'), 'redis://127.0.0.1:6379')
  t.equal(redactUrl('not a url with s3cret'), '<unparseable url>')
})
