import { runService } from '@restaurant/platform/runtime/run-service'
import { loadWaiterConfig } from './config.js'
import { startWaiterService } from './service.js'

runService('waiter', () => loadWaiterConfig(), startWaiterService)
