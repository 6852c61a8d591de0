import pRetry from 'p-retry'
import type { Logger } from 'pino'

export interface WaitForOptions {
  /** The dependency, as a person knows it: `RabbitMQ at amqp://…`. */
  what: string
  /** How to start it. */
  hint: string
  log: Logger
  signal?: AbortSignal
}

/** Retries a start-up dependency forever with capped backoff, saying what it waits for and how to start it. */
export function waitFor<T>(connect: () => Promise<T>, { what, hint, log, signal }: WaitForOptions): Promise<T> {
  return pRetry(connect, {
    retries: Number.POSITIVE_INFINITY,
    minTimeout: 500,
    maxTimeout: 3_000,
    ...(signal ? { signal } : {}),
    onFailedAttempt: ({ error, attemptNumber }) => {
      log.warn({ dependency: what, hint, attempt: attemptNumber, err: error.message }, 'waiting for a dependency to start')
    },
  })
}

/** A URL safe to log: the password is masked. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.toString()
  } catch {
    return '<unparseable url>'
  }
}
