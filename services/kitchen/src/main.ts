import { runService } from '@restaurant/shared'
import { loadKitchenConfig } from './config.js'
import { startKitchenService } from './service.js'

runService('kitchen', () => loadKitchenConfig(), startKitchenService)
