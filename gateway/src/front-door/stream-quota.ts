import { randomUUID } from 'node:crypto'
import createError from '@fastify/error'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Redis } from 'ioredis'

export const TooManyStreamsError = createError('TOO_MANY_STREAMS', 'Too many open event streams for this credential (%d at most); close one first', 429)

// The credential's open streams: a sorted set of stream ids, each scored with when its lease ends. Leases that
// ended (a gateway that died with its streams open) are dropped first; then the stream is let in if there is room.
const ADMIT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1`

export interface StreamQuotaSettings {
  maxPerCredential: number
  /** How long a stream counts without its gateway renewing it (a third of this apart). */
  leaseMs: number
}

/**
 * At most `maxPerCredential` open event streams per credential, counted across every gateway in Redis. A stream
 * holds a lease its gateway renews while it is open and gives back when it closes, so that one a crashed gateway
 * left counts no longer than `leaseMs`. Without Redis, streams are let in (as the other budgets fail open).
 */
export function createStreamQuota(redis: Redis, { maxPerCredential, leaseMs }: StreamQuotaSettings) {
  const keyOf = (subject: string) => `streams:${subject}`

  async function admitted(key: string, id: string): Promise<boolean> {
    const now = Date.now()
    const answer = await redis.eval(ADMIT, 1, key, now, now + leaseMs, maxPerCredential, id, leaseMs).catch(() => 1)
    return answer === 1
  }

  return async function holdStream(subject: string, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const key = keyOf(subject)
    const id = randomUUID()
    if (!(await admitted(key, id))) throw new TooManyStreamsError(maxPerCredential)
    const renew = setInterval(() => void redis.zadd(key, 'XX', Date.now() + leaseMs, id).catch(() => undefined), leaseMs / 3)
    reply.raw.once('close', () => {
      clearInterval(renew)
      void redis.zrem(key, id).catch((err: unknown) => request.log.warn({ err }, 'could not give back a stream lease'))
    })
  }
}
