import { GiveUpError, HandBackError, mustWait, SetAsideError } from '../runtime/errors.js'

/** What becomes of a message whose handler failed. */
export type FailureOutcome = { action: 'hand_back' } | { action: 'set_aside' } | { action: 'retry'; delayMs: number } | { action: 'give_up' }

export interface FailedDelivery {
  /** The delivery's signal: it can no longer be settled, or the consumer is draining. */
  aborted: boolean
  /** Retry tiers the message has been through. */
  retries: number
  retryDelaysMs: readonly number[]
}

/**
 * A delivery its handler hands back, or one aborted meanwhile, goes back to its queue untouched. Waiting is
 * not failing: a message that must wait is set aside, spending none of its retries. Any other failure takes
 * the next retry tier; past the last one, or when its handler gives up, the message is given up.
 */
export function failureOutcome(err: unknown, { aborted, retries, retryDelaysMs }: FailedDelivery): FailureOutcome {
  if (err instanceof HandBackError || aborted) return { action: 'hand_back' }
  if (err instanceof SetAsideError || mustWait(err)) return { action: 'set_aside' }
  if (err instanceof GiveUpError) return { action: 'give_up' }
  const delayMs = retryDelaysMs[retries]
  return delayMs === undefined ? { action: 'give_up' } : { action: 'retry', delayMs }
}
