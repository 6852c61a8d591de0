/**
 * The peer: the gateway a user might write in an afternoon with Express 5 and http-proxy-middleware. It
 * verifies the customer's JWT (fast-jwt, HS256, the same secret, issuer, audience and required claims as
 * ours) and forwards `/api` to the waiter over a keep-alive agent with the signed identity header the
 * waiter requires (signed per request, as the waiter refuses a token used twice). No rate limits, API keys, route allow-list, body checks, security headers, CORS, request
 * ids, metrics or logging.
 */
import { Agent, type IncomingMessage } from 'node:http'
import express from 'express'
import { createVerifier } from 'fast-jwt'
import { createProxyMiddleware } from 'http-proxy-middleware'
import { IDENTITY_HEADER, type Role } from '@restaurant/contracts/identity'
import { signingKeyFrom } from '@restaurant/platform/auth/service-keys'
import { createServiceSigner } from '@restaurant/platform/auth/service-tokens'

const env = (name: string) => process.env[name] ?? ''
const verify = createVerifier({
  key: env('JWT_SECRET'),
  algorithms: ['HS256'],
  allowedIss: env('JWT_ISSUER'),
  allowedAud: env('JWT_AUDIENCE'),
  requiredClaims: ['sub', 'exp', 'iss', 'aud'],
})
const sign = createServiceSigner('gateway', signingKeyFrom(env('GATEWAY_SIGNING_KEY'), 'GATEWAY_SIGNING_KEY'))
const identityHeaders = new WeakMap<IncomingMessage, string>()

const app = express()
app.use('/api', (request, response, next) => {
  try {
    const claims = verify((request.headers.authorization ?? '').replace(/^Bearer /i, '')) as { sub: string; roles?: Role[] }
    identityHeaders.set(request, sign('waiter', { subject: claims.sub, roles: claims.roles ?? [] }, { method: request.method, url: request.originalUrl }))
    next()
  } catch {
    response.status(401).json({ error: 'unauthorized' })
  }
})
app.use(
  createProxyMiddleware({
    target: env('WAITER_URL'),
    pathFilter: '/api',
    agent: new Agent({ keepAlive: true }),
    on: {
      proxyReq: (proxyRequest, request) => {
        proxyRequest.removeHeader('authorization')
        proxyRequest.setHeader(IDENTITY_HEADER, identityHeaders.get(request) ?? '')
      },
    },
  }),
)
app.listen(Number(env('PORT')), '127.0.0.1')
