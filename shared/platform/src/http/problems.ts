import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { MenuItem } from '@restaurant/contracts/menu'
import { buildProblem, PROBLEM_CONTENT_TYPE, type InvalidParam } from '@restaurant/contracts/problem'

/** Extra members an error may carry into its problem body. */
export interface ProblemExtras {
  invalidParams?: InvalidParam[]
  currentStatus?: string
  /** The item as it stands, on a stale edit. */
  current?: MenuItem
  retryAfterSeconds?: number
}

const UNAVAILABLE_TITLE = 'The service, or one it needs, is unavailable; retry later'

const fastifyCodes: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported-media-type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid-content-length',
  FST_ERR_CTP_BODY_TOO_LARGE: 'body-too-large',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'empty-body',
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed-json',
  FST_ERR_VALIDATION: 'validation-failed',
  FST_ERR_NOT_FOUND: 'not-found',
}

/** The router's own refusals, before any route: a parameter too long, a URL that does not decode. */
const routerTitles: Record<string, { code: string; title: string }> = {
  FST_ERR_MAX_PARAM_LENGTH: { code: 'url-too-long', title: 'A part of the URL is too long' },
  FST_ERR_BAD_URL: { code: 'malformed-url', title: 'The URL is malformed' },
}

/**
 * Fastify's `frameworkErrors`: what its router refuses is a problem like any other, and never echoes the URL (which
 * may be thousands of characters, or carry what it should not).
 */
export function answerRouterError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode ?? 400
  const { code, title } = routerTitles[error.code] ?? { code: 'bad-request', title: 'The request cannot be routed' }
  reply.code(status).type(PROBLEM_CONTENT_TYPE).send(buildProblem(status, code, title))
}

export function problemCode(error: Pick<FastifyError, 'code' | 'validation' | 'name'>): string {
  if (error.validation) return 'validation-failed'
  if (error.name === 'SyntaxError') return 'malformed-json'
  const code = error.code ?? 'error'
  return fastifyCodes[code] ?? code.toLowerCase().replace(/^fst_err_/, '').replaceAll('_', '-')
}

function invalidParamsOf(error: FastifyError): InvalidParam[] | undefined {
  return error.validation?.map((issue) => {
    const { missingProperty, additionalProperty } = issue.params as { missingProperty?: string; additionalProperty?: string }
    const property = missingProperty ?? additionalProperty
    const name = property ? `${issue.instancePath}/${property}` : issue.instancePath || '/'
    const reason = additionalProperty ? 'is not an accepted property' : (issue.message ?? 'is invalid')
    return { in: error.validationContext ?? 'body', name, reason }
  })
}

/**
 * Turns every error into problem+json. Client errors keep their message; server errors are logged once
 * with the request's correlation id and answered without internals.
 */
export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler<FastifyError & ProblemExtras>((error, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500
    if (status >= 500) request.log.error({ err: error }, 'request failed')
    const retryAfter = error.retryAfterSeconds ?? (status === 503 ? 2 : undefined)
    if (retryAfter !== undefined) void reply.header('retry-after', String(retryAfter))
    // A server error's message may name internals (an address, a driver's words): it goes to the log, the code to the client.
    const title = status === 503 ? UNAVAILABLE_TITLE : status >= 500 ? 'Internal server error' : error.message
    const invalidParams = error.invalidParams ?? invalidParamsOf(error)
    const body = buildProblem(status, status === 500 ? 'internal-error' : problemCode(error), title, {
      instance: request.url,
      ...(invalidParams ? { invalidParams } : {}),
      ...(error.currentStatus ? { currentStatus: error.currentStatus } : {}),
      ...(error.current ? { current: error.current } : {}),
    })
    return reply.code(status).type(PROBLEM_CONTENT_TYPE).send(body)
  })
  app.setNotFoundHandler((request, reply) => {
    const body = buildProblem(404, 'not-found', `No route ${request.method} ${request.url.split('?')[0]}`)
    return reply.code(404).type(PROBLEM_CONTENT_TYPE).send(body)
  })
}
