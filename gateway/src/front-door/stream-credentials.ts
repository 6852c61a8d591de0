import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { isApiKey, type ApiKeys } from '@restaurant/platform/auth/api-keys'

const bearer = /^Bearer ([\x21-\x7e]+)$/i
// setTimeout's longest delay; a token valid longer is looked at again then.
const LONGEST_TIMER_MS = 2 ** 31 - 1

/**
 * An event stream is authorized when it opens, but lives for as long as its client keeps it: the gateway ends it
 * when its credential does. A JWT's stream is closed when the token expires; an API key's when the key is found
 * revoked, checked every `checkEveryMs`. The client resumes with `Last-Event-ID`, and is then asked for a valid one.
 */
export function createStreamCredentials(app: FastifyInstance, apiKeys: Pick<ApiKeys, 'authenticate'>, checkEveryMs: number) {
  function end(request: FastifyRequest, reply: FastifyReply, reason: string): void {
    request.log.info({ reason }, 'event stream closed: its credential ended')
    reply.raw.destroy()
  }

  /** Watches the request's credential for as long as its answer is open. */
  return function endWithCredential(request: FastifyRequest, reply: FastifyReply): void {
    const token = bearer.exec(request.headers.authorization ?? '')?.[1]
    if (token === undefined) return
    const timers: NodeJS.Timeout[] = []
    if (isApiKey(token)) {
      const check = async () => {
        // A key that cannot be checked now (Redis away) is not taken for revoked: the next check decides.
        const identity = await apiKeys.authenticate(token).catch(() => null)
        if (identity === undefined) end(request, reply, 'revoked')
      }
      timers.push(setInterval(() => void check(), checkEveryMs))
    } else {
      const { exp } = app.jwt.decode<{ exp?: number }>(token) ?? {}
      if (exp !== undefined) timers.push(setTimeout(() => end(request, reply, 'expired'), Math.min(LONGEST_TIMER_MS, Math.max(0, exp * 1000 - Date.now()))))
    }
    reply.raw.once('close', () => timers.forEach(clearTimeout))
  }
}
