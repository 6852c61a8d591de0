import { rabbitHarness } from './rabbit-harness.js'
import { deliveryContract } from './delivery.contract.js'
import { waitingContract } from './waiting.contract.js'

deliveryContract(rabbitHarness)
waitingContract(rabbitHarness)
