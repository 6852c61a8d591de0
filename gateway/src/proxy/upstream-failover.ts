import type { FastifyHttpProxyOptions } from '@fastify/http-proxy'

type RetryDelay = NonNullable<NonNullable<FastifyHttpProxyOptions['replyOptions']>['retryDelay']>
type RetryDetails = Parameters<RetryDelay>[0]

// A refused connection carried no byte of the request: any method may go to another replica. A connection cut
// once the request was on its way may have reached a replica, so only what is safe to repeat is sent again: a safe
// method, or a request with an Idempotency-Key, which the waiter answers once however often it comes.
const REFUSED = new Set(['ECONNREFUSED'])
const CUT_OFF = new Set(['ECONNRESET', 'UND_ERR_SOCKET'])
const SAFE_TO_REPEAT = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * The retry policy of a proxy balanced over `replicas` (undici's BalancedPool picks the replica of each attempt
 * and weighs down one that fails to connect): an attempt that failed as above is made again at once, up to
 * once per replica. Anything else is answered as it came, never repeated: reply-from's own policy would try a GET
 * answered 503 ten more times, multiplying the load on a service exactly when it sheds it.
 */
export function failoverAcross(replicas: number): RetryDelay {
  return ({ err, req, attempt }: RetryDetails) => (attempt < replicas && mayGoElsewhere(err, req) ? 1 : null)
}

function mayGoElsewhere(err: Error | undefined, req: RetryDetails['req']): boolean {
  // reply-from also asks after an answer, with no error: its types say otherwise.
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? ''
  return REFUSED.has(code) || (CUT_OFF.has(code) && isSafeToRepeat(req))
}

function isSafeToRepeat({ method, headers }: RetryDetails['req']): boolean {
  return SAFE_TO_REPEAT.has(method) || headers['idempotency-key'] !== undefined
}
