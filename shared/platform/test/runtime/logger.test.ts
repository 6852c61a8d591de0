import t from 'tap'
import { createLogger } from '../../src/runtime/logger.js'

function loggerAnd() {
  const lines: string[] = []
  const log = createLogger({ name: 'test', level: 'info', pretty: false, destination: { write: (line: string) => void lines.push(line) } })
  return { log, written: () => lines.join('') }
}

t.test('tokens, keys, secrets and identity headers are replaced before a line is written', async (t) => {
  const { log, written } = loggerAnd()
  log.info({ req: { headers: { authorization: 'Bearer eyJ.secret.sig', cookie: 'sid=1', 'x-restaurant-identity': 'eyJ.id.sig' } } }, 'request')
  log.info({ created: { key: 'rk_0123456789ab_secret', token: 'eyJ.t.s', secret: 's3cret' } }, 'credential')
  for (const secret of ['eyJ.secret.sig', 'sid=1', 'eyJ.id.sig', 'rk_0123456789ab_secret', 'eyJ.t.s', 's3cret']) t.notOk(written().includes(secret), secret)
  t.match(written(), /\[redacted\]/)
})

t.test('a line is JSON with the logger name and level, and no trace ids outside a trace', async (t) => {
  const { log, written } = loggerAnd()
  log.debug('below the level')
  log.info({ orderId: 'o-1' }, 'order moved')
  const line = JSON.parse(written()) as Record<string, unknown>
  t.match(line, { name: 'test', level: 30, msg: 'order moved', orderId: 'o-1' })
  t.notOk('trace_id' in line)
})
