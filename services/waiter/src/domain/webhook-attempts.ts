/** A signing secret, and until when it still signs once a newer one replaced it (absent: the current one). */
export interface SigningSecret {
  secret: string
  expiresAt?: string
}

export interface RetryPolicy {
  /** The wait before each attempt after the first: one attempt more than there are delays. */
  retryDelaysMs: readonly number[]
  /** How long a subscription may fail without a success before it is paused. */
  pauseAfterMs: number
}

/** What an attempt's answer says: a 2xx delivered it; `410 Gone` asks never to be called again; anything else failed. */
export type AttemptOutcome = 'delivered' | 'gone' | 'failed'

export function outcomeOf(statusCode: number | undefined): AttemptOutcome {
  if (statusCode === undefined) return 'failed'
  if (statusCode >= 200 && statusCode < 300) return 'delivered'
  return statusCode === 410 ? 'gone' : 'failed'
}

/** What follows a failed attempt: another later, pausing the subscription (the delivery is then kept), or giving up. */
export type AfterFailure = { action: 'retry'; notBefore: Date } | { action: 'pause'; reason: string } | { action: 'give-up' }

export function afterFailure(
  subscription: { failingSince?: string },
  { attempt, outcome, error, now }: { attempt: number; outcome: AttemptOutcome; error: string; now: Date },
  policy: RetryPolicy,
): AfterFailure {
  if (outcome === 'gone') return { action: 'pause', reason: 'disabled: the receiver answered 410 Gone' }
  const failingSince = subscription.failingSince ?? now.toISOString()
  if (now.getTime() - Date.parse(failingSince) >= policy.pauseAfterMs) {
    return { action: 'pause', reason: `paused: every delivery failed since ${failingSince} (last: ${error})` }
  }
  const delayMs = policy.retryDelaysMs[attempt - 1]
  return delayMs === undefined ? { action: 'give-up' } : { action: 'retry', notBefore: new Date(now.getTime() + delayMs) }
}

/** The secrets that sign a delivery now, newest first: the current one and those still in their overlap. */
export function signingSecrets(secrets: readonly SigningSecret[], now: Date): string[] {
  return secrets.filter(({ expiresAt }) => expiresAt === undefined || Date.parse(expiresAt) > now.getTime()).map(({ secret }) => secret)
}

/** The secrets once `fresh` replaces the current one: the old one signs on until `overlapMs` from now; expired ones go. */
export function rotated(secrets: readonly SigningSecret[], fresh: string, now: Date, overlapMs: number): SigningSecret[] {
  const until = new Date(now.getTime() + overlapMs).toISOString()
  const previous = secrets.map((secret) => ({ secret: secret.secret, expiresAt: secret.expiresAt ?? until }))
  return [{ secret: fresh }, ...previous.filter(({ expiresAt }) => Date.parse(expiresAt) > now.getTime())]
}

/** Whether a subscription takes events of `type` (a ping goes to every one). */
export function wants(subscription: { types: readonly string[] }, type: string): boolean {
  return type === 'webhook.ping' || subscription.types.some((wanted) => wanted === type)
}
