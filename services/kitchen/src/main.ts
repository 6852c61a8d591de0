import { runService } from '@restaurant/platform/runtime/run-service'
import { loadKitchenConfig } from './config.js'
import { startKitchenService } from './service.js'

runService('kitchen', () => loadKitchenConfig(), startKitchenService)
