import { fileURLToPath } from 'node:url'
import fastifyStatic from '@fastify/static'
import type { HttpServer } from '@restaurant/platform/http/server'

const publicDir = fileURLToPath(new URL('../../public', import.meta.url))

/**
 * The web pages: the menu a guest orders from (`/`), the kitchen pass for staff (`/board`) and the menu's
 * administration (`/admin`), plain files with no build step.
 */
export async function registerStaticPages(app: HttpServer): Promise<void> {
  // wildcard: false registers each file as a route, so an unknown path stays a 404 problem.
  await app.register(fastifyStatic, { root: publicDir, wildcard: false })
  app.get('/board', (_request, reply) => reply.sendFile('board.html'))
  app.get('/admin', (_request, reply) => reply.sendFile('admin.html'))
}
