import { partnerEventTypes, type PartnerEventType } from '@restaurant/contracts/partners'
import type { DeliveryAttempt } from '../use-cases/partner-store.js'
import type { SubscriptionView } from '../use-cases/manage-webhooks.js'

export const usage = `usage:
  npm run webhooks -- create URL TYPE[,TYPE] [--customer-details]   subscribe; the signing secret is printed once
                                    (types: ${partnerEventTypes.join(', ')})
  npm run webhooks -- list          every subscription (never its secrets)
  npm run webhooks -- show ID       one subscription, with why it is paused
  npm run webhooks -- delete ID     with its delivery log and what it kept
  npm run webhooks -- ping ID       queue a webhook.ping, delivered like any event
  npm run webhooks -- rotate ID     a new secret, printed once; the previous one signs too during the overlap
  npm run webhooks -- pause ID      deliveries are kept until it is resumed
  npm run webhooks -- resume ID     sends what was kept, then every new event
  npm run webhooks -- deliveries ID its delivery log, newest first
uses the waiter's store (MONGO_URL or DATA_DIR), AMQP_URL and AMQP_NAMESPACE like the waiter`

export type Command =
  | { name: 'create'; url: string; types: PartnerEventType[]; customerDetails: boolean }
  | { name: 'list' }
  | { name: 'show' | 'delete' | 'ping' | 'rotate' | 'pause' | 'resume' | 'deliveries'; id: string }

const withId = ['show', 'delete', 'ping', 'rotate', 'pause', 'resume', 'deliveries'] as const
const isType = (type: string): type is PartnerEventType => (partnerEventTypes as readonly string[]).includes(type)
const isWithId = (name: string): name is (typeof withId)[number] => (withId as readonly string[]).includes(name)

/** The command the arguments ask for, or undefined when they ask for none. */
export function parseCommand(args: readonly string[]): Command | undefined {
  const [name = '', first = '', second = '', ...rest] = args
  if (name === 'list' && args.length === 1) return { name }
  if (isWithId(name) && first !== '' && args.length === 2) return { name, id: first }
  if (name !== 'create' || first === '') return undefined
  const types = second.split(',')
  const flags = new Set(rest)
  if (!types.every(isType) || [...flags].some((flag) => flag !== '--customer-details')) return undefined
  return { name, url: first, types, customerDetails: flags.has('--customer-details') }
}

export function describeSubscription(subscription: SubscriptionView): string {
  const { id, state, types, scopes, url } = subscription
  return `${id}  ${state}  ${types.join(',')}  ${scopes.length > 0 ? scopes.join(',') : '-'}  ${url}`
}

/** Every field of the subscription, one a line: its state, and why and since when it is paused. */
export function describeDetails(subscription: SubscriptionView): string[] {
  return Object.entries(subscription).map(([name, value]) => `${name}: ${Array.isArray(value) ? value.join(', ') : String(value)}`)
}

export function describeAttempt(attempt: DeliveryAttempt): string {
  const answer = attempt.statusCode === undefined ? 'no answer' : String(attempt.statusCode)
  const latency = `${Math.round(attempt.latencyMs)} ms`
  return [attempt.at, `attempt ${attempt.attempt}`, attempt.eventType, attempt.eventId, answer, latency, attempt.error ?? ''].join('  ').trimEnd()
}
