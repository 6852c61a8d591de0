import closeWithGrace from 'close-with-grace'
import { createLogger, runService } from '@restaurant/shared'
import { loadKitchenConfig } from './config.js'
import { startKitchenService } from './service.js'

runService('kitchen', async () => {
  const config = loadKitchenConfig()
  const log = createLogger({ name: 'kitchen', level: config.LOG_LEVEL, pretty: config.LOG_PRETTY })
  const kitchen = await startKitchenService(config, log)
  await kitchen.app.listen({ host: config.HOST, port: config.PORT })
  closeWithGrace({ delay: config.SHUTDOWN_TIMEOUT_MS, logger: log }, async ({ signal, err }) => {
    if (err) log.error({ err }, 'shutting down after an error')
    log.info({ signal }, 'shutting down: finishing the orders in hand')
    await kitchen.close()
  })
})
