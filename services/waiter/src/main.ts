import closeWithGrace from 'close-with-grace'
import { createLogger, runService } from '@restaurant/shared'
import { loadWaiterConfig } from './config.js'
import { startWaiterService } from './service.js'

runService('waiter', async () => {
  const config = loadWaiterConfig()
  const log = createLogger({ name: 'waiter', level: config.LOG_LEVEL, pretty: config.LOG_PRETTY })
  const waiter = await startWaiterService(config, log)
  await waiter.app.listen({ host: config.HOST, port: config.PORT })
  closeWithGrace({ delay: config.SHUTDOWN_TIMEOUT_MS, logger: log }, async ({ signal, err }) => {
    if (err) log.error({ err }, 'shutting down after an error')
    log.info({ signal }, 'shutting down: no new orders, finishing the ones in hand')
    await waiter.close()
  })
})
