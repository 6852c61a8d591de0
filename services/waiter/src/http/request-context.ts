import type { FastifyRequest } from 'fastify'
import type { RequestContext } from '../use-cases/ports.js'

export type RequestContextOf = (request: FastifyRequest) => RequestContext

/** The use cases' view of a request: its correlation id, its verified caller and its logger. */
export function requestContexts(identityOf: (request: FastifyRequest) => RequestContext['identity']): RequestContextOf {
  return (request) => ({ requestId: request.id, identity: identityOf(request), log: request.log })
}
