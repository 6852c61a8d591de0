import { measureCapacity, type CapacityFigures } from './capacity.js'
import { renderCapacity } from './capacity-report.js'
import { measureDataSize, type DataSizeFigures } from './data-size.js'
import { renderDataSize } from './data-size-report.js'
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

export function renderCapacityAndWork({ capacity, workCounts, dataSize }: Partial<CapacityAndWork>): string {
  return [capacity && renderCapacity(capacity), workCounts && renderWorkCounts(workCounts), dataSize && renderDataSize(dataSize)].filter(Boolean).join('\n\n')
}

/** `BENCH_ONLY=capacity,work-counts,data-size`: those parts alone, printed. */
export async function measureOnly(settings: Settings, log: Log): Promise<void> {
  const figures: Partial<CapacityAndWork> = {}
  if (settings.only.includes('capacity')) figures.capacity = await measureCapacity(settings.capacity, log)
  if (settings.only.includes('work-counts')) figures.workCounts = await measureWorkCounts(settings, log)
  if (settings.only.includes('data-size')) figures.dataSize = await measureDataSize(settings, log)
  console.log(`\n${renderCapacityAndWork(figures)}\n`)
}
