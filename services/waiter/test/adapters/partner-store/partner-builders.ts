import type { PartnerEvent, PartnerEventType } from '@restaurant/contracts/partners'
import type { DeliveryAttempt, HeldDelivery, WebhookSubscription } from '../../../src/use-cases/partner-store.js'

export function buildSubscription(overrides: Partial<WebhookSubscription> & Pick<WebhookSubscription, 'id'>): WebhookSubscription {
  return {
    url: 'https://partner.example/hooks',
    types: ['order.placed'],
    scopes: [],
    secrets: [{ secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }],
    state: 'active',
    createdAt: '2026-01-01T10:00:00.000Z',
    createdBy: 'admin',
    ...overrides,
  }
}

export function buildEvent(id: string, type: PartnerEventType = 'order.placed'): PartnerEvent {
  return { id, type, occurredAt: '2026-01-01T10:00:00.000Z', data: { subscriptionId: 'unused' } }
}

export function buildAttempt(subscriptionId: string, attempt: number, overrides: Partial<DeliveryAttempt> = {}): DeliveryAttempt {
  const at = new Date(Date.UTC(2026, 0, 1, 10, 0, attempt)).toISOString()
  return { subscriptionId, eventId: `evt_${attempt}`, eventType: 'order.placed', attempt, at, statusCode: 500, latencyMs: 12, ...overrides }
}

export function buildHeld(subscriptionId: string, eventId: string, second: number): HeldDelivery {
  return { subscriptionId, event: buildEvent(eventId), heldAt: new Date(Date.UTC(2026, 0, 1, 10, 0, second)).toISOString() }
}
