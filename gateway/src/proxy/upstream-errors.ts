import createError from '@fastify/error'

export const UpstreamUnavailableError = createError('UPSTREAM_UNAVAILABLE', 'The service behind this route is unavailable', 503)
export const UpstreamTimeoutError = createError('UPSTREAM_TIMEOUT', 'The service behind this route did not answer in time', 504)
export const BadGatewayError = createError('BAD_GATEWAY', 'The service behind this route failed to answer', 502)

const unreachable = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ERR_HTTP2_STREAM_CANCEL'])

/** Proxy failures become 503 (cannot reach), 504 (too slow) or 502 (broke off): never a bare 500. */
export function replyWithUpstreamError(reply: { send(payload: Error): unknown }, { error }: { error: Error & { statusCode?: number } }): void {
  const code = (error.cause as { code?: string } | undefined)?.code ?? ''
  if (error.statusCode === 504) return void reply.send(new UpstreamTimeoutError({ cause: error }))
  if (unreachable.has(code)) return void reply.send(new UpstreamUnavailableError({ cause: error }))
  reply.send(new BadGatewayError({ cause: error }))
}
