import { Type } from 'typebox'
import type { HttpServer } from '@restaurant/platform/http/server'
import { mintToken, type TokenSettings } from '../auth/tokens.js'

const DevTokenBody = Type.Object(
  {
    role: Type.Union([Type.Literal('customer'), Type.Literal('staff')]),
    subject: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' })),
  },
  { additionalProperties: false },
)
const DEV_TOKEN_SECONDS = 12 * 3600

/**
 * `POST /auth/dev-token` hands out a customer or staff token so that the pages work on a development
 * stack. Registered only there (DEV_SIGN_IN), so that it does not exist otherwise. A token lives twelve hours, or
 * the longest the gateway accepts (`maxLifetimeSeconds`) when that is shorter; each has its own id (`jti`).
 */
export function registerDevSignIn(app: HttpServer, tokens: TokenSettings, maxLifetimeSeconds: number): void {
  const lifetimeSeconds = Math.min(DEV_TOKEN_SECONDS, maxLifetimeSeconds)
  app.post('/auth/dev-token', { schema: { body: DevTokenBody } }, async (request) => {
    const { role, subject = role === 'staff' ? 'pass' : 'guest' } = request.body
    request.log.info({ role, subject }, 'development token issued')
    return { token: mintToken(tokens, { subject, roles: [role] }, lifetimeSeconds) }
  })
}
