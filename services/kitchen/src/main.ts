import { setTimeout as sleep } from 'node:timers/promises'
import closeWithGrace from 'close-with-grace'
import {
  CancelOrderMessage,
  connectBus,
  createLogger,
  menu,
  OrderPlacedMessage,
  routingKeys,
  runService,
  stationCapacity,
  topologyFor,
} from '@restaurant/shared'
import { buildKitchenApp } from './app.js'
import { loadKitchenConfig } from './config.js'
import { emptySlots } from './cooking.js'
import { createTicketStore } from './create-ticket-store.js'
import { createKitchen } from './kitchen.js'

runService('kitchen', async () => {
  const config = loadKitchenConfig()
  const log = createLogger({ name: 'kitchen', level: config.LOG_LEVEL, pretty: config.LOG_PRETTY })
  const store = await createTicketStore(config)
  const topology = topologyFor(config.AMQP_NAMESPACE)
  const bus = await connectBus({
    url: config.AMQP_URL,
    topology,
    log,
    connectionName: 'kitchen',
    prefetch: config.AMQP_PREFETCH,
    confirmTimeoutMs: config.AMQP_CONFIRM_TIMEOUT_MS,
    retryDelayMs: config.AMQP_RETRY_DELAY_MS,
    deliveryLimit: config.AMQP_DELIVERY_LIMIT,
    onLost: (err) => {
      // Unacked deliveries go back to the queue; a supervisor (compose, systemd) restarts the kitchen.
      log.fatal({ err }, 'lost the connection to RabbitMQ; exiting')
      process.exit(1)
    },
  })
  const kitchen = createKitchen({
    store,
    announce: (order, correlationId) => bus.publish(routingKeys.orderStatusChanged, { order }, correlationId),
    menu: () => menu,
    speedFactor: config.KITCHEN_SPEED_FACTOR,
    now: Date.now,
    sleep: (ms) => sleep(ms),
    stations: { slots: emptySlots(stationCapacity) },
  })
  await bus.consume(topology.queues.kitchenOrders, OrderPlacedMessage, kitchen.prepare)
  await bus.consume(topology.queues.kitchenCancellations, CancelOrderMessage, kitchen.cancel)

  const app = buildKitchenApp({ log, store })
  await app.listen({ host: config.HOST, port: config.PORT })

  closeWithGrace({ delay: config.SHUTDOWN_TIMEOUT_MS, logger: log }, async ({ signal, err }) => {
    if (err) log.error({ err }, 'shutting down after an error')
    log.info({ signal }, 'shutting down: finishing the orders in hand')
    await bus.cancelConsumers()
    await app.close()
    await bus.close()
    await store.close()
  })
})
