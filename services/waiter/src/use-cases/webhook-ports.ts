/** One signed attempt to deliver an event to a receiver. */
export interface WebhookRequest {
  url: string
  /** The event, already JSON: what is signed is exactly what is sent. */
  body: string
  /** The `webhook-id`: the event's id, the same on every attempt to deliver it. */
  id: string
  timestamp: Date
  /** `whsec_`-prefixed base64 secrets, newest first: each signs, so a receiver holding any of them verifies. */
  secrets: readonly string[]
  attempt: number
}

/** What came of one attempt. It failed when `error` is set (a status code may still be there) or the status is not 2xx. */
export interface SendResult {
  statusCode?: number
  latencyMs: number
  error?: string
  /** The start of the receiver's answer, at most a small limit: the rest is never read. */
  responseExcerpt?: string
}

export interface WebhookSender {
  /** Sends one delivery; a refused destination, a network failure or a timeout is a result, never a rejection. */
  send(request: WebhookRequest): Promise<SendResult>
}

/** Why a URL may not receive webhooks (not https, or resolving to a private address), or undefined when it may. */
export type DestinationCheck = (url: string) => Promise<string | undefined>
