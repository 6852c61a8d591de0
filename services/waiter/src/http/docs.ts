import swagger, { type SwaggerTransform } from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import { buildAsyncApiDocument } from '@restaurant/contracts/asyncapi'
import type { Topology } from '@restaurant/contracts/messages'
import { ANYONE, findPublicRoute } from '@restaurant/contracts/public-routes'
import type { HttpServer } from '@restaurant/platform/http/server'

export const API_VERSION = '1.0.0'

const description =
  'Order food and follow it through the kitchen. Every error is an RFC 9457 problem details document ' +
  '(`application/problem+json`): `code` is a stable machine-readable reason (also the last segment of `type`), ' +
  '`invalidParams` names each invalid field, and `instance` the request path. Every response carries the ' +
  "request's correlation id in `x-request-id`. The messages behind the API are described at `/docs/asyncapi.json`."

/**
 * Publishes the contract: OpenAPI from the route schemas at `/docs/json` (UI at `/docs`) and AsyncAPI for the
 * messages at `/docs/asyncapi.json`. Await it before adding routes: @fastify/swagger collects them in an
 * onRoute hook, which exists only once the plugin has loaded.
 */
export async function registerDocs(app: HttpServer, topology: Topology): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'The restaurant API', version: API_VERSION, description },
      servers: [{ url: '/' }],
      tags: [
        { name: 'menu', description: 'What can be ordered' },
        { name: 'orders', description: 'Placing, following and cancelling orders' },
        { name: 'keys', description: 'API keys for machine clients (admin)' },
        { name: 'partners', description: 'Webhook subscriptions (admin) and the event feed (partner)' },
        { name: 'audit', description: 'Who changed what, when (admin)' },
      ],
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description: 'A JWT for a person (HS256, with `sub`, `roles`, `iss`, `aud` and `exp`), or an API key (`rk_…`)',
          },
        },
      },
    },
    transform: publicRoutesOnly,
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })
  const asyncApi = buildAsyncApiDocument(topology)
  app.get('/docs/asyncapi.json', async () => asyncApi)
}

/** The published API is what the gateway forwards: probes and the docs themselves stay out of it. */
const publicRoutesOnly: SwaggerTransform = ({ schema, url, route }) => {
  const publicRoute = findPublicRoute([route.method].flat()[0] ?? '', url)
  if (!publicRoute) return { schema: { ...schema, hide: true }, url }
  const open = publicRoute.roles === ANYONE
  const who = open ? 'Anyone; a credential, when sent, must be valid.' : `Roles: ${publicRoute.roles.join(', ')}.`
  const description = [schema.description, who].filter(Boolean).join(' ')
  const bearer: Record<string, string[]> = { bearer: [] }
  return { schema: { ...schema, description, security: open ? [{}, bearer] : [bearer] }, url }
}
