import { tallyTotal } from './counter-deltas.js'
import { figuresOf, withRateContext, type RateFigures } from './fixed-rates.js'
import { measureAtRate, type FixedRateRun, type RateContext } from './fixed-rate-run.js'
import { REDIS_URL } from '../test/support/isolation.js'
import { prefillOrders } from './prefill-store.js'
import type { Settings } from './settings.js'
import { ratioOf, type Figure } from './stats.js'

export interface DataSizeFigures {
  storedOrders: number
  fillSeconds: number
  empty: RateFigures
  stored: RateFigures
  /** Run by run: CPU of the stack's processes per order with the orders stored ÷ with none. */
  processesCpuRatio: Figure
}

type Log = (line: string) => void

async function fill(context: RateContext, settings: Settings, log: Log): Promise<number> {
  const started = Date.now()
  const { run } = context.stack
  const store = { DATA_DIR: run.dataDir, MONGO_DB: run.mongoDb, MONGO_URL: settings.mongoUrl }
  await prefillOrders({ store, redisUrl: REDIS_URL, redisPrefix: run.redisPrefix }, settings.dataSize.storedOrders)
  const seconds = (Date.now() - started) / 1000
  log(`  ${settings.dataSize.storedOrders} served orders written into the kitchen's store and the waiter's views in ${seconds.toFixed(0)} s`)
  return seconds
}

const processesCpu = ({ cpuMsPerOrder }: FixedRateRun) => tallyTotal(cpuMsPerOrder) - (cpuMsPerOrder.machine ?? 0)

/**
 * CPU per order at one rate on two stacks side by side, one with an empty store and one whose kitchen store holds
 * `storedOrders` served tickets, the runs alternating: what the data already stored costs each order.
 */
export async function measureDataSize(settings: Settings, log: Log): Promise<DataSizeFigures> {
  const { ratePerSecond, storedOrders } = settings.dataSize
  log(`data size: ${ratePerSecond} orders/s with ${storedOrders} orders stored and with none, ${settings.runs} rounds of ${settings.rateSeconds} s`)
  return withRateContext(settings, log, (empty) =>
    withRateContext(settings, log, async (stored) => {
      const fillSeconds = await fill(stored, settings, log)
      const runs = { empty: [] as FixedRateRun[], stored: [] as FixedRateRun[] }
      for (let round = 1; round <= settings.runs; round++) {
        // Which goes first alternates too, so that neither always follows the other's load.
        const measure = (context: RateContext) => measureAtRate(context, ratePerSecond)
        const taken = round % 2 === 1 ? { empty: await measure(empty), stored: await measure(stored) } : { stored: await measure(stored), empty: await measure(empty) }
        runs.empty.push(taken.empty)
        runs.stored.push(taken.stored)
        log(`  round ${round}: these processes ${processesCpu(taken.empty).toFixed(2)} CPU ms/order empty, ${processesCpu(taken.stored).toFixed(2)} with ${storedOrders} stored`)
      }
      const [emptyFigures, storedFigures] = [figuresOf(ratePerSecond, runs.empty), figuresOf(ratePerSecond, runs.stored)]
      return { storedOrders, fillSeconds, empty: emptyFigures, stored: storedFigures, processesCpuRatio: ratioOf(storedFigures.processesCpuMsPerOrder, emptyFigures.processesCpuMsPerOrder) }
    }),
  )
}
