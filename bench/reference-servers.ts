import { DEVELOPMENT_SECRETS } from '@restaurant/platform/runtime/config'
import { tokenSettings } from '../test/support/credentials.js'
import { startServerProcess, type ServerProcess } from './server-process.js'

/** The peer gateway's settings in front of `waiterUrl`: our customers' tokens, our gateway's signing key. */
export const peerGatewayEnv = (waiterUrl: string) => ({
  WAITER_URL: waiterUrl,
  JWT_SECRET: tokenSettings.secret,
  JWT_ISSUER: tokenSettings.issuer,
  JWT_AUDIENCE: tokenSettings.audience,
  GATEWAY_SIGNING_KEY: DEVELOPMENT_SECRETS.GATEWAY_SIGNING_KEY,
})

/**
 * The servers our figures are read against, each its own process: a bare Fastify hello, a bare node:http
 * proxy hop in front of a node:http hello, and the peer gateway in front of our waiter.
 */
export async function startReferenceServers(waiterUrl: string) {
  const started: ServerProcess[] = []
  const start = async (name: string, env: Record<string, string> = {}) => {
    const server = await startServerProcess(name, env)
    started.push(server)
    return server
  }
  const stop = () => Promise.all(started.map((server) => server.stop()))
  // Started side by side; all settle before a failure stops the others, so none is left running.
  const settled = await Promise.allSettled([
    start('fastify-hello'),
    start('node-hello').then((upstream) => start('node-proxy', { UPSTREAM_URL: upstream.url })),
    start('peer-gateway', peerGatewayEnv(waiterUrl)),
  ])
  const [fastifyHello, bareProxy, peer] = settled.map((result) => (result.status === 'fulfilled' ? result.value : undefined))
  if (!fastifyHello || !bareProxy || !peer) {
    await stop()
    throw settled.find((result) => result.status === 'rejected')?.reason
  }
  return { fastifyHello, bareProxy, peer, stop }
}
