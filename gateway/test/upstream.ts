import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Test } from 'tap'
import Fastify from 'fastify'
import { IDENTITY_HEADER } from '@restaurant/contracts/identity'
import { verifyingKeysFrom } from '@restaurant/platform/auth/service-keys'
import { createServiceVerifier } from '@restaurant/platform/auth/service-tokens'
import { DEVELOPMENT_SECRETS } from '@restaurant/platform/runtime/config'
import { credentialStandIn, type CredentialStandIn } from './credential-stand-in.js'

// The waiter's own check of the gateway's tokens (with the development keys the gateway signs with by default).
const verifyCall = createServiceVerifier('waiter', { gateway: verifyingKeysFrom(DEVELOPMENT_SECRETS.GATEWAY_PUBLIC_KEYS, 'GATEWAY_PUBLIC_KEYS') })

export interface Echo {
  url: string
  method: string
  requestId: string | null
  identity: unknown
  headers: string[]
}

/**
 * A real upstream on port 0 standing in for the waiter (or the kitchen): it answers any body with what it
 * received, including the verified identity, and records every request that reached it.
 */
export async function startUpstream(t: Test, options: { delayMs?: number } = {}) {
  const reached: string[] = []
  const credentials = credentialStandIn()
  const upstream = Fastify()
  upstream.addContentTypeParser('*', (_request, payload, done) => done(null, payload))
  // The gateway's own calls for credentials are answered as the waiter would, and are not counted as reaching it.
  upstream.addHook('preHandler', async (request, reply) => {
    const answered = credentials.answer(request.method, request.url, request.body)
    if (answered) await reply.code(answered.status).send(answered.body)
  })
  upstream.all('/*', async (request): Promise<Echo> => {
    reached.push(`${request.method} ${request.url}`)
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs))
    const identity = request.headers[IDENTITY_HEADER]
    return {
      url: request.url,
      method: request.method,
      requestId: typeof request.headers['x-request-id'] === 'string' ? request.headers['x-request-id'] : null,
      identity: typeof identity === 'string' ? verifyCall(identity, request).identity : null,
      headers: Object.keys(request.headers),
    }
  })
  const url = await upstream.listen({ host: '127.0.0.1', port: 0 })
  t.teardown(() => upstream.close())
  return { url, reached, credentials }
}

/** A waiter stand-in whose event streams never end by themselves: a comment every 100 ms. */
export async function endlessStreams(t: Test, credentials: CredentialStandIn = credentialStandIn()) {
  const server = createServer((request, response) => {
    if (credentials.answerRaw(request, response)) return
    response.writeHead(200, { 'content-type': 'text/event-stream' })
    const beat = setInterval(() => response.write(': still here\n\n'), 100)
    response.once('close', () => clearInterval(beat))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    server.closeAllConnections()
    server.close()
  })
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

/** A waiter stand-in shedding load: it answers every request 503 at once, and counts them. */
export async function sheddingUpstream(t: Test) {
  let asked = 0
  const shedding = createServer((_request, response) => {
    asked += 1
    response.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' }).end('{}')
  })
  await new Promise<void>((resolve) => shedding.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => shedding.close(() => resolve())))
  return { url: `http://127.0.0.1:${(shedding.address() as AddressInfo).port}`, asked: () => asked }
}
