import { measureCapacity, type CapacityFigures } from './capacity.js'
import { renderCapacity } from './capacity-report.js'
import { measureDataSize, type DataSizeFigures } from './data-size.js'
import { renderDataSize } from './data-size-report.js'
import { digits } from './figure-format.js'
import { measureGatewayAlone } from './gateway-alone.js'
import { renderGatewayAlone } from './gateway-alone-report.js'
import type { Goal } from './results.js'
import type { Settings } from './settings.js'
import { measureWorkCounts, type WorkCounts } from './work-counts.js'
import { renderWorkCounts } from './work-counts-report.js'

export interface CapacityAndWork {
  capacity: CapacityFigures
  workCounts: WorkCounts
  dataSize: DataSizeFigures
}

type Log = (line: string) => void

/** Capacity with 1 and more kitchens, work counts per order at one rate, and CPU per order with orders already stored. */
export async function measureCapacityAndWork(settings: Settings, log: Log): Promise<CapacityAndWork> {
  const capacity = await measureCapacity(settings.capacity, log)
  const workCounts = await measureWorkCounts(settings, log)
  return { capacity, workCounts, dataSize: await measureDataSize(settings, log) }
}

/** Capacity with one kitchen, CPU per order with orders already stored against none, and the kitchen store's write syscalls. */
export function capacityAndWorkGoals({ capacity, dataSize, workCounts }: CapacityAndWork): Goal[] {
  const oneKitchen = capacity.searches.find((search) => search.kitchens === 1)?.ordersPerSecond ?? Number.NaN
  const ratio = dataSize.processesCpuRatio.median
  const storeWrites = 'unavailable' in workCounts.trace ? Number.NaN : (workCounts.trace.storeWritesPerStateChange.kitchen ?? Number.NaN)
  return [
    { name: `capacity (orders/s) at p99 POST → ready < ${capacity.p99BoundMs} ms, 1 kitchen`, value: oneKitchen, target: '≥ 600', met: oneKitchen >= 600, workload: 'pipeline' },
    { name: `CPU per order with ${dataSize.storedOrders} orders stored ÷ with none`, value: ratio, target: '0.9–1.1', met: Math.abs(ratio - 1) <= 0.1, workload: 'pipeline' },
    { name: `kitchen store write syscalls per state change at ${workCounts.ratePerSecond} orders/s`, value: storeWrites, target: '≤ 1', met: storeWrites <= 1, workload: 'pipeline' },
  ]
}

/** Each part measured, and the goals when all three were. */
export function renderCapacityAndWork(figures: Partial<CapacityAndWork>): string {
  const { capacity, workCounts, dataSize } = figures
  const goals = capacity && workCounts && dataSize ? capacityAndWorkGoals({ capacity, workCounts, dataSize }) : []
  const goalLines = goals.map((goal) => `- ${goal.name}: ${digits(goal.value, 2)}, target ${goal.target}: ${goal.met ? 'met' : '**missed**'}`)
  return [capacity && renderCapacity(capacity), workCounts && renderWorkCounts(workCounts), dataSize && renderDataSize(dataSize), goalLines.join('\n')].filter(Boolean).join('\n\n')
}

/** `BENCH_ONLY=capacity,work-counts,data-size,gateway`: those parts alone, printed. */
export async function measureOnly(settings: Settings, log: Log): Promise<void> {
  const figures: Partial<CapacityAndWork> = {}
  if (settings.only.includes('gateway')) console.log(`\n${renderGatewayAlone(await measureGatewayAlone(settings, log))}\n`)
  if (settings.only.includes('capacity')) figures.capacity = await measureCapacity(settings.capacity, log)
  if (settings.only.includes('work-counts')) figures.workCounts = await measureWorkCounts(settings, log)
  if (settings.only.includes('data-size')) figures.dataSize = await measureDataSize(settings, log)
  console.log(`\n${renderCapacityAndWork(figures)}\n`)
}
