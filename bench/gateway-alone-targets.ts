import { randomUUID } from 'node:crypto'
import { generousLimits } from '../test/support/gateway.js'
import { removeRedisKeys } from '../test/support/isolation.js'
import { startService } from '../test/support/processes.js'
import type { GatewayTarget } from './gateway-alone-figures.js'
import { peerGatewayEnv } from './reference-servers.js'
import { startServerProcess } from './server-process.js'
import { serviceEnv } from './settings.js'

export interface Running {
  name: string
  url: string
  pid: number
}

/** Our gateway as the stacks run it (its built entry, rate limits out of reach), on a Redis prefix of its own. */
async function startOurGateway(upstreamUrl: string, redisPrefix: string) {
  const env = { ...serviceEnv, ...generousLimits, REDIS_PREFIX: redisPrefix, WAITER_URL: upstreamUrl, KITCHEN_URL: upstreamUrl }
  const gateway = await startService('gateway', env)
  return { name: 'ours', url: gateway.url, pid: gateway.child.pid ?? 0, stop: () => gateway.stop().then(() => undefined) }
}

/**
 * The stub upstream (bench/servers/stub-waiter.ts), then our gateway, the bare Fastify hop and the Express peer in
 * front of it, each its own process; `stop` ends them all and removes our gateway's Redis keys.
 */
export async function startGatewayTargets() {
  const redisPrefix = `bench-gateway-${randomUUID()}:`
  const started: { stop: () => Promise<void> }[] = []
  const stop = async () => {
    await Promise.all(started.map((server) => server.stop()))
    await removeRedisKeys(redisPrefix)
  }
  try {
    const stub = await startServerProcess('stub-waiter')
    started.push(stub)
    const launch = async <T extends Running & { stop: () => Promise<void> }>(starting: Promise<T>, name: GatewayTarget) => {
      const server = await starting
      started.push(server)
      return { name, url: server.url, pid: server.pid }
    }
    const targets = [
      await launch(startOurGateway(stub.url, redisPrefix), 'ours'),
      await launch(startServerProcess('fastify-hop', { UPSTREAM_URL: stub.url }), 'fastify hop'),
      await launch(startServerProcess('peer-gateway', peerGatewayEnv(stub.url)), 'express peer'),
    ]
    return { stub: { name: 'stub', pid: stub.pid }, targets, stop }
  } catch (error) {
    await stop()
    throw error
  }
}
