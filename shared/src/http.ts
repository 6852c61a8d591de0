import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { FastifyInstance, FastifyServerOptions } from 'fastify'

export const REQUEST_ID_HEADER = 'x-request-id'
const safeRequestId = /^[\w.:-]{1,128}$/

/** Correlation ids: a well-formed `x-request-id` is kept, anything else is replaced by a new UUID. */
export function genRequestId(request: IncomingMessage): string {
  const given = request.headers[REQUEST_ID_HEADER]
  return typeof given === 'string' && safeRequestId.test(given) ? given : randomUUID()
}

export const requestIdOptions = {
  requestIdHeader: false,
  requestIdLogLabel: 'reqId',
  genReqId: genRequestId,
} satisfies Partial<FastifyServerOptions>

/** Echoes the correlation id to the caller so a client can quote it. */
export function echoRequestId(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    void reply.header(REQUEST_ID_HEADER, request.id)
  })
}
