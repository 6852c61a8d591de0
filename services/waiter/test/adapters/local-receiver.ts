import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Test } from 'tap'

export interface ReceivedRequest {
  url: string | undefined
  headers: IncomingHttpHeaders
  body: string
}

export type Answer = (response: ServerResponse, request: ReceivedRequest) => void

/**
 * A webhook receiver on loopback, port 0, answering as `answer` says. It counts connections as well as requests,
 * so that a test can tell that nothing at all reached it (not even a TLS handshake).
 */
export async function localReceiver(t: Test, answer: Answer = (response) => response.writeHead(204).end()) {
  const requests: ReceivedRequest[] = []
  let connections = 0
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const received = { url: request.url, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') }
      requests.push(received)
      answer(response, received)
    })
  })
  server.on('connection', () => connections++)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections()
  }))
  const { port } = server.address() as AddressInfo
  return { port, url: `http://127.0.0.1:${port}/hooks`, requests, connections: () => connections }
}
