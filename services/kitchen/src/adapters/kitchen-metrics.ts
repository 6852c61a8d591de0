import { Counter, type Registry } from 'prom-client'

/** What the kitchen counts of its claims: operators see takeovers and fencing at work. */
export function createKitchenMetrics(registry: Registry) {
  return {
    claims: new Counter({
      name: 'kitchen_claims_total',
      help: 'Claims on orders: taken (the first), taken_over (after a lease ran out), refused (another held a live one)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    renewals: new Counter({ name: 'kitchen_lease_renewals_total', help: 'Leases renewed while their orders waited and cooked', registers: [registry] }),
    fencedWrites: new Counter({ name: 'kitchen_fenced_writes_total', help: 'Writes refused because a later claim had taken the order over', registers: [registry] }),
  }
}
export type KitchenMetrics = ReturnType<typeof createKitchenMetrics>
