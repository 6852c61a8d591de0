import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { Webhook } from 'standardwebhooks'
import { request as sendRequest, type Dispatcher } from 'undici'
import { destinationProblem } from '../domain/webhook-destinations.js'
import type { SendResult, WebhookRequest, WebhookSender } from '../use-cases/webhook-ports.js'
import { createSafeAgent, DestinationRefusedError, resolveAddresses, type ResolveAddresses } from './safe-dialer.js'

/** The largest body sent; callers cap what they build below it, so a larger one is a defect, thrown. */
export const MAX_WEBHOOK_BODY_BYTES = 256 * 1024

/** The sender as the service holds it: it closes its connections when the waiter stops. */
export interface ClosableWebhookSender extends WebhookSender {
  close(): Promise<void>
}

export interface WebhookSenderOptions {
  allowPrivate: boolean
  /** The whole attempt's deadline: connecting, sending, the answer's headers and the excerpt of its body. */
  timeoutMs: number
  maxResponseBytes?: number
  lookup?: ResolveAddresses
}

/** A new signing secret in the Standard Webhooks format: `whsec_` and 32 random bytes in base64. */
export function generateSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`
}

/**
 * Delivers webhooks in the Standard Webhooks format (https://www.standardwebhooks.com) to public destinations only
 * (see safe-dialer.ts). Redirects are not followed: a 3xx is a status like any other.
 */
export function createWebhookSender({ allowPrivate, timeoutMs, maxResponseBytes = 1024, lookup = resolveAddresses }: WebhookSenderOptions): ClosableWebhookSender {
  const agent = createSafeAgent({ allowPrivate, connectTimeoutMs: timeoutMs, lookup })
  return {
    async send(webhook) {
      assertSendable(webhook)
      const problem = destinationProblem(webhook.url, allowPrivate)
      if (problem !== undefined) return { latencyMs: 0, error: `refused destination: ${problem}` }
      const started = performance.now()
      const signal = AbortSignal.timeout(timeoutMs)
      const failure = (err: unknown, statusCode?: number): SendResult => ({
        ...(statusCode === undefined ? {} : { statusCode }),
        latencyMs: Math.round(performance.now() - started),
        error: signal.aborted ? `timed out after ${timeoutMs} ms` : describe(err),
      })
      let response: Dispatcher.ResponseData
      try {
        response = await sendRequest(webhook.url, { dispatcher: agent, method: 'POST', headers: headersOf(webhook), body: webhook.body, signal })
      } catch (err) {
        return failure(err)
      }
      try {
        const responseExcerpt = await readExcerpt(response.body, maxResponseBytes)
        return { statusCode: response.statusCode, latencyMs: Math.round(performance.now() - started), ...(responseExcerpt ? { responseExcerpt } : {}) }
      } catch (err) {
        return failure(err, response.statusCode)
      }
    },
    close: () => agent.close(),
  }
}

function assertSendable({ body, secrets }: WebhookRequest): void {
  const bytes = Buffer.byteLength(body)
  if (bytes > MAX_WEBHOOK_BODY_BYTES) throw new RangeError(`A webhook body of ${bytes} bytes is over the ${MAX_WEBHOOK_BODY_BYTES} allowed`)
  if (secrets.length === 0) throw new RangeError('A webhook needs at least one secret to be signed')
}

function headersOf({ id, timestamp, body, secrets, attempt }: WebhookRequest): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': 'restaurant-webhooks/1',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'webhook-signature': secrets.map((secret) => new Webhook(secret).sign(id, timestamp, body)).join(' '),
    'webhook-attempt': String(attempt),
  }
}

/** Reads at most about `limit` bytes of the answer; leaving the loop early destroys the rest (and its connection). */
async function readExcerpt(body: Dispatcher.ResponseData['body'], limit: number): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    chunks.push(chunk as Buffer)
    size += (chunk as Buffer).length
    if (size >= limit) break
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8')
}

/** A short account of a failure: its message, after its code where the message does not say it (`UND_ERR_SOCKET`). */
function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err)
  const code = (err as NodeJS.ErrnoException).code
  const message = err.message.slice(0, 200)
  return code === undefined || message.includes(code) || err instanceof DestinationRefusedError ? message : `${code}: ${message}`
}
