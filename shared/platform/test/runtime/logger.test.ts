import { Writable } from 'node:stream'
import { pino } from 'pino'
import t from 'tap'
import { redactedPaths } from '../../src/runtime/logger.js'

t.test('tokens, keys, secrets and identity headers are replaced before a line is written', async (t) => {
  const lines: string[] = []
  const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => done(void lines.push(chunk.toString())) })
  const log = pino({ redact: { paths: redactedPaths, censor: '[redacted]' } }, sink)
  log.info({ req: { headers: { authorization: 'Bearer eyJ.secret.sig', cookie: 'sid=1', 'x-restaurant-identity': 'eyJ.id.sig' } } }, 'request')
  log.info({ created: { key: 'rk_0123456789ab_secret', token: 'eyJ.t.s', secret: 's3cret' } }, 'credential')
  const written = lines.join('')
  for (const secret of ['eyJ.secret.sig', 'sid=1', 'eyJ.id.sig', 'rk_0123456789ab_secret', 'eyJ.t.s', 's3cret']) t.notOk(written.includes(secret), secret)
  t.match(written, /\[redacted\]/)
})
