import { runService } from '@restaurant/shared'
import { loadWaiterConfig } from './config.js'
import { startWaiterService } from './service.js'

runService('waiter', () => loadWaiterConfig(), startWaiterService)
