import { Type } from 'typebox'
import {
  CreatedWebhookSchema,
  DeliveryAttemptSchema,
  FeedPageSchema,
  FeedQuerySchema,
  NewWebhookSchema,
  RotatedSecretSchema,
  WebhookIdParams,
  WebhookSchema,
} from '@restaurant/contracts/partners'
import type { HttpServer } from '@restaurant/platform/http/server'
import type { ManageWebhooks } from '../use-cases/manage-webhooks.js'
import type { createReadFeed } from '../use-cases/read-feed.js'
import type { RequestContextOf } from './request-context.js'
import { anyRequestErrors, invalid, json, problem } from './route-docs.js'

export interface Partners {
  webhooks: ManageWebhooks
  readFeed: ReturnType<typeof createReadFeed>
}

const tags = ['partners']
const notFound = problem('No such subscription')
const oneWebhook = (summary: string, description?: string) => ({
  tags,
  summary,
  ...(description ? { description } : {}),
  params: WebhookIdParams,
  response: { 200: json('The subscription', WebhookSchema), 400: invalid, 404: notFound, ...anyRequestErrors },
})
const DeliveriesQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })) }, { additionalProperties: false })

const schemas = {
  create: {
    tags,
    summary: 'Subscribe a webhook',
    description: 'Refused (`422`) unless the URL is `https` and resolves to no loopback, private or link-local address. The signing secret is shown once.',
    body: NewWebhookSchema,
    response: { 201: json('The subscription and its secret, shown once', CreatedWebhookSchema), 400: invalid, 422: problem('The URL may not receive deliveries'), ...anyRequestErrors },
  },
  list: { tags, summary: 'List webhook subscriptions', response: { 200: json('Every subscription', Type.Object({ subscriptions: Type.Array(WebhookSchema) })), ...anyRequestErrors } },
  get: oneWebhook('Read a webhook subscription', 'With its state: why it is paused, since when deliveries fail.'),
  remove: { tags, summary: 'Delete a webhook subscription', params: WebhookIdParams, response: { 204: { description: 'Deleted, with its log and what it kept' }, 400: invalid, 404: notFound, ...anyRequestErrors } },
  ping: {
    tags,
    summary: 'Send a test event',
    params: WebhookIdParams,
    response: { 202: json('Queued like any event', Type.Object({ eventId: Type.String() })), 400: invalid, 404: notFound, ...anyRequestErrors },
  },
  rotate: {
    tags,
    summary: "Rotate a webhook's signing secret",
    description: 'The new secret is shown once; the previous one goes on signing each delivery too until `previousSecretsExpireAt`.',
    params: WebhookIdParams,
    response: { 200: json('The new secret', RotatedSecretSchema), 400: invalid, 404: notFound, ...anyRequestErrors },
  },
  pause: oneWebhook('Pause a webhook subscription', 'Its deliveries are kept, and sent when it is resumed.'),
  resume: oneWebhook('Resume a webhook subscription', 'Sends what it kept while paused, then every new event.'),
  deliveries: {
    tags,
    summary: "A webhook's delivery log",
    params: WebhookIdParams,
    querystring: DeliveriesQuery,
    response: { 200: json('Attempts, newest first', Type.Object({ deliveries: Type.Array(DeliveryAttemptSchema) })), 400: invalid, 404: notFound, ...anyRequestErrors },
  },
  feed: {
    tags,
    summary: 'Read the event feed',
    description: 'Every event in one sequence, from a cursor on. Reading does not consume: the same cursor gives the same events while they are kept.',
    querystring: FeedQuerySchema,
    response: { 200: json('Events after the cursor, and the cursor to read on from', FeedPageSchema), 400: invalid, ...anyRequestErrors },
  },
}

/** Webhook subscriptions (admins) and the event feed (partners). */
export function registerPartnerRoutes(app: HttpServer, { webhooks, readFeed }: Partners, contextOf: RequestContextOf): void {
  app.post('/api/webhooks', { schema: schemas.create }, async (request, reply) => {
    const created = await webhooks.create(request.body, contextOf(request))
    request.log.info({ subscriptionId: created.subscription.id, url: created.subscription.url, types: created.subscription.types }, 'webhook subscribed')
    return reply.code(201).send(created)
  })
  app.get('/api/webhooks', { schema: schemas.list }, async () => ({ subscriptions: await webhooks.list() }))
  app.get('/api/webhooks/:id', { schema: schemas.get }, async (request) => webhooks.get(request.params.id))
  app.delete('/api/webhooks/:id', { schema: schemas.remove }, async (request, reply) => {
    await webhooks.remove(request.params.id, contextOf(request))
    request.log.info({ subscriptionId: request.params.id }, 'webhook deleted')
    return reply.code(204).send()
  })
  app.post('/api/webhooks/:id/ping', { schema: schemas.ping }, async (request, reply) => reply.code(202).send(await webhooks.ping(request.params.id, contextOf(request))))
  app.post('/api/webhooks/:id/rotate-secret', { schema: schemas.rotate }, async (request) => {
    const rotated = await webhooks.rotateSecret(request.params.id, contextOf(request))
    request.log.info({ subscriptionId: request.params.id }, 'webhook secret rotated')
    return rotated
  })
  app.post('/api/webhooks/:id/pause', { schema: schemas.pause }, async (request) => webhooks.pause(request.params.id, contextOf(request)))
  app.post('/api/webhooks/:id/resume', { schema: schemas.resume }, async (request) => webhooks.resume(request.params.id, contextOf(request)))
  app.get('/api/webhooks/:id/deliveries', { schema: schemas.deliveries }, async (request) => ({
    deliveries: await webhooks.deliveries(request.params.id, request.query.limit ?? 100),
  }))
  app.get('/api/events', { schema: schemas.feed }, async (request) => readFeed(request.query))
}
