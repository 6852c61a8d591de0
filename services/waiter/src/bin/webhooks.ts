#!/usr/bin/env node
import { topologyFor } from '@restaurant/contracts/messages'
import type { PartnerScope } from '@restaurant/contracts/partners'
import { cliCaller } from '@restaurant/platform/audit/cli-caller'
import type { Bus } from '@restaurant/platform/messaging/bus'
import { busOptionsFrom, connectBus } from '@restaurant/platform/messaging/rabbit-bus'
import { createLogger } from '@restaurant/platform/runtime/logger'
import { openAuditLog } from '@restaurant/platform/stores/open-audit-log'
import { checkDestination } from '../adapters/destination-check.js'
import { createPartnerStore } from '../adapters/partner-store/create-partner-store.js'
import { generateSecret } from '../adapters/webhook-sender.js'
import { loadWaiterConfig } from '../config.js'
import { createManageWebhooks, WebhookUrlRefusedError, WebhookNotFoundError, type ManageWebhooks } from '../use-cases/manage-webhooks.js'
import type { Publish, RequestContext } from '../use-cases/ports.js'
import { describeAttempt, describeDetails, describeSubscription, parseCommand, usage, type Command } from './webhooks-usage.js'

const command = parseCommand(process.argv.slice(2))
if (!command) {
  process.stderr.write(`${usage}\n`)
  process.exit(2)
}

const DELIVERIES_SHOWN = 100
const config = loadWaiterConfig()
const log = createLogger({ name: 'webhooks', level: 'warn', pretty: true })
const context: RequestContext = { ...cliCaller(), log }
const allowPrivate = config.WEBHOOK_ALLOW_PRIVATE_DESTINATIONS
// Only ping and resume publish: the other commands never need the broker.
let bus: Promise<Bus> | undefined
const publish: Publish = async (routingKey, message, correlationId) => {
  bus ??= connectBus(busOptionsFrom(config, { topology: topologyFor(config.AMQP_NAMESPACE), log, connectionName: 'webhooks-cli' }))
  return (await bus).publish(routingKey, message, correlationId)
}
const store = await createPartnerStore(config)
const audit = await openAuditLog(config)
const webhooks = createManageWebhooks({
  store,
  checkDestination: (url) => checkDestination(url, { allowPrivate }),
  publish,
  now: () => new Date(),
  newSecret: generateSecret,
  secretOverlapMs: config.WEBHOOK_SECRET_OVERLAP_MS,
  audit,
})

const print = (lines: readonly string[]) => {
  for (const line of lines) process.stdout.write(`${line}\n`)
}

async function run(webhooks: ManageWebhooks, command: Command): Promise<readonly string[]> {
  switch (command.name) {
    case 'create': {
      const scopes: PartnerScope[] = command.customerDetails ? ['customer-details'] : []
      const { subscription, secret } = await webhooks.create({ url: command.url, types: command.types, scopes }, context)
      return [`created ${describeSubscription(subscription)}`, 'the signing secret, shown once:', secret]
    }
    case 'list':
      return (await webhooks.list()).map(describeSubscription)
    case 'show':
      return describeDetails(await webhooks.get(command.id))
    case 'delete':
      await webhooks.remove(command.id, context)
      return [`deleted ${command.id}`]
    case 'ping':
      return [`queued ${(await webhooks.ping(command.id, context)).eventId} for ${command.id}`]
    case 'rotate': {
      const { secret, previousSecretsExpireAt } = await webhooks.rotateSecret(command.id, context)
      const overlap = previousSecretsExpireAt ? [`the previous secret signs too until ${previousSecretsExpireAt}`] : []
      return [`rotated ${command.id}; the new signing secret, shown once:`, secret, ...overlap]
    }
    case 'pause':
      return [`paused ${describeSubscription(await webhooks.pause(command.id, context))}`]
    case 'resume':
      return [`resumed ${describeSubscription(await webhooks.resume(command.id, context))}`]
    case 'deliveries':
      return (await webhooks.deliveries(command.id, DELIVERIES_SHOWN)).map(describeAttempt)
  }
}

try {
  print(await run(webhooks, command))
} catch (err) {
  // The refusals a caller can act on are told in a line; anything else is a failure, with its stack.
  if (!(err instanceof WebhookNotFoundError || err instanceof WebhookUrlRefusedError)) throw err
  process.stderr.write(`${err.message}\n`)
  process.exitCode = 1
} finally {
  await store.close()
  await audit.close()
  if (bus) await (await bus).close()
}
