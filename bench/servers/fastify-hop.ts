/**
 * The floor of a Fastify proxy hop: Fastify with @fastify/http-proxy (reply-from over undici, streaming the bodies)
 * forwarding `/api` to UPSTREAM_URL, and nothing else: no auth, limits, header rewriting, logging or metrics. It is
 * the plugin, in the version, that our gateway proxies with, so what our gateway costs above it is its own work.
 */
import { createRequire } from 'node:module'
import { join } from 'node:path'
import Fastify, { type FastifyPluginAsync } from 'fastify'

// The gateway's dependency, not the repository root's: resolved from the gateway's package.
const fromGateway = createRequire(join(import.meta.dirname, '..', '..', 'gateway', 'package.json'))
const proxy = fromGateway('@fastify/http-proxy') as FastifyPluginAsync<{ upstream: string; prefix: string; rewritePrefix: string }>

const app = Fastify({ logger: false })
await app.register(proxy, { upstream: process.env.UPSTREAM_URL ?? '', prefix: '/api', rewritePrefix: '/api' })
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) })
