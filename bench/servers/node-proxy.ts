/**
 * The floor of one proxy hop: node:http forwarding every request to UPSTREAM_URL over a keep-alive agent,
 * streaming both bodies, with nothing else (no auth, no header rewriting beyond `host`).
 */
import { Agent, createServer, request } from 'node:http'

const upstream = new URL(process.env.UPSTREAM_URL ?? '')
const agent = new Agent({ keepAlive: true })

createServer((incoming, outgoing) => {
  const forwarded = request(
    { host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers: { ...incoming.headers, host: upstream.host }, agent },
    (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(outgoing)
    },
  )
  forwarded.on('error', () => {
    outgoing.statusCode = 502
    outgoing.end()
  })
  incoming.pipe(forwarded)
}).listen(Number(process.env.PORT), '127.0.0.1')
