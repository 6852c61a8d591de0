/**
 * The load generator of the fixed-rate runs, in a process of its own (started by bench/order-load.ts with its
 * plan as the argument): `POST /api/orders` through the gateway on an open-loop schedule, each request as
 * bench/requests.ts builds it (the customer's JWT, a fresh Idempotency-Key). Warms up, reports, waits for `go`,
 * runs the measured schedule, reports, and waits to be stopped.
 */
import { once } from 'node:events'
import { Agent, request } from 'node:http'
import { sendOnSchedule, type Send } from './open-loop.js'
import type { LoadMessage, LoadPlan } from './order-load.js'
import { scheduleOf } from './rate-schedule.js'
import { placeOrderThrough } from './requests.js'

// An answer later than this counts as none.
const timeoutMs = 10_000

function orderSender(gatewayUrl: string, agent: Agent): Send {
  const target = placeOrderThrough('orders', gatewayUrl)
  const { setupRequest } = target.request
  if (typeof setupRequest !== 'function') throw new Error('the order request builds no fresh requests')
  return () =>
    new Promise((resolve) => {
      const { method, headers, body } = setupRequest(target.request, {})
      const sent = request(target.url, { method, headers, agent, timeout: timeoutMs }, (response) => {
        response.resume()
        response.once('close', () => resolve(response.complete ? response.statusCode : undefined))
      })
      sent.once('timeout', () => sent.destroy())
      sent.once('error', () => resolve(undefined))
      sent.end(body)
    })
}

const report = (message: LoadMessage) => new Promise((resolve) => process.send?.(message, undefined, {}, resolve))

const plan = JSON.parse(process.argv[2] ?? '{}') as LoadPlan
// Keep-alive and no cap on sockets: a request never waits for an earlier one's answer.
const agent = new Agent({ keepAlive: true })
const send = orderSender(plan.gatewayUrl, agent)
// Kept alive for the reading of its CPU after the run, until stopped or left alone.
process.once('disconnect', () => agent.destroy())
const go = once(process, 'message')
await report({ kind: 'warmed', outcome: await sendOnSchedule(scheduleOf(plan.ratePerSecond, plan.warmUpSeconds), send) })
await go
await report({ kind: 'done', outcome: await sendOnSchedule(scheduleOf(plan.ratePerSecond, plan.seconds), send) })
