import type { DataSizeFigures } from './data-size.js'
import { digits, show } from './figure-format.js'

/** CPU per order with the store empty and with orders already stored, and their ratio. */
export function renderDataSize(figures: DataSizeFigures): string {
  const { empty, stored } = figures
  return [
    `Data size: ${empty.ratePerSecond} orders/s on two stacks side by side, runs alternating, as the fixed-rate runs take them; one kitchen store empty, ` +
      `the other holding ${digits(figures.storedOrders, 0)} served orders placed over the last day, written before the runs (${digits(figures.fillSeconds, 0)} s) beside the running services through their own adapters: ` +
      "tickets in the kitchen's store, the waiter's views in Redis with their statuses on its event streams.",
    '',
    '| store | these processes, CPU ms per order | whole machine | ready per run | p99 answer (ms) |',
    '|---|---|---|---|---|',
    `| empty | ${show(empty.processesCpuMsPerOrder, 2)} | ${show(empty.cpuMsPerOrder.machine, 2)} | ${show(empty.ordersReady)} | ${show(empty.latencyP99Ms, 1)} |`,
    `| ${digits(figures.storedOrders, 0)} stored | ${show(stored.processesCpuMsPerOrder, 2)} | ${show(stored.cpuMsPerOrder.machine, 2)} | ${show(stored.ordersReady)} | ${show(stored.latencyP99Ms, 1)} |`,
    `| ratio, stored ÷ empty | ${show(figures.processesCpuRatio, 2)} | | | |`,
  ].join('\n')
}
