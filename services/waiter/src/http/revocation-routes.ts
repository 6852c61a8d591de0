import { Type } from 'typebox'
import { NewRevocationBody, RevocationsSchema, SubjectRevocationSchema, TokenRevocationSchema } from '@restaurant/platform/auth/revocations'
import type { RevocationManagement } from '@restaurant/platform/audit/revocation-management'
import type { HttpServer } from '@restaurant/platform/http/server'
import type { RequestContextOf } from './request-context.js'
import { anyRequestErrors, invalid, json } from './route-docs.js'

const tags = ['keys']

const revoke = {
  schema: {
    tags,
    summary: 'Revoke user tokens',
    description:
      'With `subject`, every token of that subject issued up to now (to the second) is refused; with `tokenId` and the token\'s `expiresAt`, that one token. Gateways refuse them at once, and close their open event streams.',
    body: NewRevocationBody,
    response: { 201: json('The revocation in force', Type.Union([SubjectRevocationSchema, TokenRevocationSchema])), 400: invalid, ...anyRequestErrors },
  },
}

const list = {
  schema: { tags, summary: 'List token revocations', response: { 200: json('Every subject revoked, and the revoked tokens not yet expired', RevocationsSchema), ...anyRequestErrors } },
}

/** Admins revoke people's tokens (JWTs), by subject or by token id, and list what is revoked. */
export function registerRevocationRoutes(app: HttpServer, credentials: RevocationManagement, contextOf: RequestContextOf): void {
  app.post('/api/revocations', revoke, async (request, reply) => {
    const revocation = await credentials.revoke(request.body, contextOf(request))
    request.log.info({ revocation }, 'tokens revoked')
    return reply.code(201).send(revocation)
  })
  app.get('/api/revocations', list, () => credentials.revocations())
}
