import type { TSchema } from 'typebox'
import { Problem, PROBLEM_CONTENT_TYPE } from '@restaurant/contracts/problem'

/** Shapes of the OpenAPI responses the routes share, so that every route documents its errors alike. */

type Headers = Record<string, { type: string; description: string }>

export const location = { Location: { type: 'string', description: 'The order: `/api/orders/{id}`' } }
const retryAfter = { 'Retry-After': { type: 'integer', description: 'Seconds to wait before retrying' } }
const rateLimitHeaders = {
  ...retryAfter,
  'RateLimit-Limit': { type: 'integer', description: 'Requests allowed in the window' },
  'RateLimit-Remaining': { type: 'integer', description: 'Requests left in the window' },
  'RateLimit-Reset': { type: 'integer', description: 'Seconds until the window resets' },
}

export const json = <T extends TSchema>(description: string, schema: T, headers?: Headers) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/json': { schema } },
})

// Keyed by media type so that the document says what is sent: errors are problem+json, not plain JSON.
export const problem = (description: string, headers?: Headers) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { [PROBLEM_CONTENT_TYPE]: { schema: Problem } },
})

/** What any route may answer, whatever it does. */
export const anyRequestErrors = {
  401: problem('No credential, or one that is malformed, expired, revoked or not for this API'),
  403: problem('The credential is valid but its roles do not include one this route needs'),
  415: problem('The request has a body that is not `application/json`'),
  429: problem('Too many requests from this address or credential, or over the order quota', rateLimitHeaders),
  500: problem('An unexpected failure; logged with the request id, not detailed here'),
  503: problem('The service is overloaded or a service it needs is unavailable; retry later', retryAfter),
}
export const invalid = problem('The request is malformed or invalid; `invalidParams` names each offending field')
