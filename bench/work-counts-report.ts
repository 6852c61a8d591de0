import { digits } from './figure-format.js'
import { stateChangesPerOrder, type TracedWrites, type WorkCounts } from './work-counts.js'

const perOrder = (tally: Record<string, number>) =>
  Object.entries(tally)
    .filter(([, value]) => Math.abs(value) >= 0.05)
    .map(([name, value]) => `${name} ${digits(value, 1)}`)
    .join(', ')

function traceRows(trace: TracedWrites): string[] {
  return [
    ...Object.entries(trace.writesPerOrder).map(([name, tally]) => `| ${name}: write and sync calls by target | ${perOrder(tally)} |`),
    `| kitchen store (file) write syscalls per state change | ${digits(trace.storeWritesPerStateChange.kitchen ?? Number.NaN, 2)} |`,
    `| waiter store (file) write syscalls per state change | ${digits(trace.storeWritesPerStateChange.waiter ?? Number.NaN, 2)} |`,
  ]
}

/** Context switches, AMQP messages and write syscalls per order at one rate (the syscalls left out when strace could not attach). */
export function renderWorkCounts(counts: WorkCounts): string {
  const { trace } = counts
  const traced =
    'unavailable' in trace
      ? `Write syscalls are left out: ${trace.unavailable}.`
      : `Write syscalls over ${trace.seconds} s of it with the services under \`strace -f -y\` (which slows them: ${trace.ordersReady} orders ready in that window); ` +
        `store writes per state change count ${stateChangesPerOrder} state changes per order (placed, accepted, cooking, ready).`
  return [
    `Work per order at ${counts.ratePerSecond} orders/s, open loop, ${counts.seconds} s (${counts.ordersReady} orders ready; ${counts.load.accepted} of ${counts.load.sent} accepted). ${traced}`,
    '',
    '| per order | figure |',
    '|---|---|',
    `| context switches, by process (all threads, not less idle) | ${perOrder(counts.contextSwitchesPerOrder)} |`,
    `| AMQP publishes confirmed / deliveries (the services' counters) | ${digits(counts.amqp.publishesPerOrder, 2)} / ${digits(counts.amqp.deliveriesPerOrder, 2)} |`,
    ...('unavailable' in trace ? [] : traceRows(trace)),
  ].join('\n')
}
