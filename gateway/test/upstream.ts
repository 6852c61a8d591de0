import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Test } from 'tap'
import Fastify from 'fastify'
import { IDENTITY_HEADER } from '@restaurant/contracts/identity'
import { createIdentityVerifier } from '@restaurant/platform/auth/identity-tokens'
import { DEVELOPMENT_SECRETS } from '@restaurant/platform/runtime/config'

const verifyIdentity = createIdentityVerifier(DEVELOPMENT_SECRETS.IDENTITY_SECRET)

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
  const upstream = Fastify()
  upstream.addContentTypeParser('*', (_request, payload, done) => done(null, payload))
  upstream.all('/*', async (request): Promise<Echo> => {
    reached.push(`${request.method} ${request.url}`)
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs))
    const identity = request.headers[IDENTITY_HEADER]
    return {
      url: request.url,
      method: request.method,
      requestId: typeof request.headers['x-request-id'] === 'string' ? request.headers['x-request-id'] : null,
      identity: typeof identity === 'string' ? verifyIdentity(identity) : null,
      headers: Object.keys(request.headers),
    }
  })
  const url = await upstream.listen({ host: '127.0.0.1', port: 0 })
  t.teardown(() => upstream.close())
  return { url, reached }
}

/** A waiter stand-in whose event streams never end by themselves: a comment every 100 ms. */
export async function endlessStreams(t: Test) {
  const server = createServer((_request, response) => {
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
