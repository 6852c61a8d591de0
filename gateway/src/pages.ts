import { fileURLToPath } from 'node:url'
import fastifyStatic from '@fastify/static'
import { Type } from 'typebox'
import type { HttpServer } from '@restaurant/platform/http/server'
import { mintToken, type TokenSettings } from './tokens.js'

const publicDir = fileURLToPath(new URL('../public', import.meta.url))

const DevTokenBody = Type.Object(
  {
    role: Type.Union([Type.Literal('customer'), Type.Literal('staff')]),
    subject: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' })),
  },
  { additionalProperties: false },
)
const DEV_TOKEN_SECONDS = 12 * 3600

/**
 * The web pages: the menu a guest orders from (`/`) and the kitchen pass for staff (`/board`), plain files
 * with no build step. With `devSignIn`, `POST /auth/dev-token` hands out a customer or staff token so that
 * the pages work on a development stack; it does not exist otherwise.
 */
export async function registerPages(app: HttpServer, { devSignIn, tokens }: { devSignIn: boolean; tokens: TokenSettings }): Promise<void> {
  // wildcard: false registers each file as a route, so an unknown path stays a 404 problem.
  await app.register(fastifyStatic, { root: publicDir, wildcard: false })
  app.get('/board', (_request, reply) => reply.sendFile('board.html'))
  if (!devSignIn) return
  app.post('/auth/dev-token', { schema: { body: DevTokenBody } }, async (request) => {
    const { role, subject = role === 'staff' ? 'pass' : 'guest' } = request.body
    request.log.info({ role, subject }, 'development token issued')
    return { token: mintToken(tokens, { subject, roles: [role] }, DEV_TOKEN_SECONDS) }
  })
}
