import type { CapacityFigures } from './capacity.js'
import { digits } from './figure-format.js'

/** Capacity by number of kitchens, and every step the search tried. */
export function renderCapacity(figures: CapacityFigures): string {
  const lines = [
    `Capacity: the highest open-loop order rate at which p99 POST → \`ready\` (from the send to the \`ready\` event on the staff stream) stayed under ${figures.p99BoundMs} ms ` +
      `with every order accepted; each step ${figures.seconds} s after ${figures.warmUpSeconds} s of warm-up at its rate (the first step of a search after ${figures.firstWarmUpSeconds} s: fresh services start cold), one search per number of kitchens (not a median).`,
    '',
    '| kitchens | capacity (orders/s) | steps tried: rate → p99 ms |',
    '|---|---|---|',
  ]
  for (const search of figures.searches) {
    const steps = search.steps.map((step) => `${step.ratePerSecond} → ${digits(step.p99Ms, 0)}${step.refused ? ` (${step.refused} refused)` : ''}${step.held ? '' : ' ✗'}`)
    lines.push(`| ${search.kitchens} | ${search.ordersPerSecond} | ${steps.join(', ')} |`)
  }
  return lines.join('\n')
}
