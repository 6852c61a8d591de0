#!/usr/bin/env node
import { roles, type Role } from '@restaurant/contracts/identity'
import { createApiKeys } from '@restaurant/platform/auth/api-keys'
import { connectRedis, describeRedis } from '@restaurant/platform/redis/redis'
import { createLogger } from '@restaurant/platform/runtime/logger'
import { loadGatewayConfig } from '../config.js'

const usage = `usage:
  npm run keys -- create NAME ROLE[,ROLE]   a new API key, printed once (roles: ${roles.join(', ')})
  npm run keys -- list                      every key, revoked ones included (never their secrets)
  npm run keys -- revoke ID                 the key stops working at once
uses REDIS_URL (or REDIS_SENTINELS) and REDIS_PREFIX like the services`

const config = loadGatewayConfig()
const [command, first = '', second = ''] = process.argv.slice(2)
const isRole = (role: string): role is Role => (roles as readonly string[]).includes(role)
const wanted = second.split(',').filter(Boolean)
const valid = command === 'list' || (command === 'revoke' && first) || (command === 'create' && first && wanted.length > 0 && wanted.every(isRole))
if (!valid) {
  process.stderr.write(`${usage}\n`)
  process.exit(2)
}

const log = createLogger({ name: 'keys', level: 'warn', pretty: true })
const redis = await connectRedis({ ...config, REDIS_COMMAND_TIMEOUT_MS: 5_000 }, log)
const apiKeys = createApiKeys(redis)
try {
  if (command === 'create') {
    const { key, apiKey } = await apiKeys.create({ name: first, roles: wanted.filter(isRole) })
    process.stdout.write(`created ${apiKey.id} (${apiKey.name}: ${apiKey.roles.join(', ')}); the key, shown once:\n${key}\n`)
  } else if (command === 'revoke') {
    const revoked = await apiKeys.revoke(first)
    process.stdout.write(revoked ? `revoked ${revoked.id} (${revoked.name})\n` : `no key ${first}\n`)
    if (!revoked) process.exitCode = 1
  } else {
    process.stdout.write(`API keys in ${describeRedis(config)} (${config.REDIS_PREFIX})\n`)
    for (const key of await apiKeys.list()) {
      process.stdout.write(`${key.id}  ${key.revokedAt ? `revoked ${key.revokedAt}` : 'active'}  ${key.roles.join(',')}  ${key.name}\n`)
    }
  }
} finally {
  redis.disconnect()
}
