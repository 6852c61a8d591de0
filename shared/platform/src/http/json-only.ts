import createError from '@fastify/error'
import type { FastifyInstance } from 'fastify'

export const UnsupportedMediaTypeError = createError('FST_ERR_CTP_INVALID_MEDIA_TYPE', 'Send JSON: Content-Type must be application/json', 415)

// Exactly `application/json`, optionally with a UTF-8 charset: no stray `;`, no leading or inner whitespace.
const jsonMediaType = /^application\/json(; ?charset=utf-8)?$/i

function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
  return headers['transfer-encoding'] !== undefined || (headers['content-length'] ?? '0') !== '0'
}

/**
 * A request that carries a body must declare it as plain JSON; anything looser (`application/json;`,
 * a leading space or tab, another type) is refused with 415 before any parser sees it.
 */
export function requireJsonBodies(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    if (!hasBody(request.headers)) return
    const type = request.headers['content-type']
    if (typeof type !== 'string' || !jsonMediaType.test(type)) throw new UnsupportedMediaTypeError()
  })
}
