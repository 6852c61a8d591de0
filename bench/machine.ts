import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { cpus, totalmem } from 'node:os'
import { dirname, join } from 'node:path'
import amqp from 'amqplib'
import { AMQP_URL } from '../test/support/isolation.js'
import { redisVersion } from './redis-limits.js'

const root = join(import.meta.dirname, '..')

export interface Machine {
  cpu: string
  cores: number
  ramGiB: number
  node: string
  rabbitmq: string
  redis: string
  packages: Record<string, string>
}

/** The version of `name` as the workspace package at `from` resolves it. */
function versionOf(name: string, from: string): string {
  let dir = dirname(createRequire(join(root, from, 'package.json')).resolve(name))
  while (dir !== dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string }
      if (manifest.name === name && manifest.version) return manifest.version
    } catch {
      // No manifest here: look one level up.
    }
    dir = dirname(dir)
  }
  return 'unknown'
}

async function rabbitmqVersion(): Promise<string> {
  const connection = await amqp.connect(AMQP_URL)
  try {
    return String(connection.connection.serverProperties.version ?? 'unknown')
  } finally {
    await connection.close()
  }
}

export async function describeMachine(): Promise<Machine> {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    ramGiB: totalmem() / 1024 ** 3,
    node: process.version,
    rabbitmq: await rabbitmqVersion(),
    redis: await redisVersion(),
    packages: {
      fastify: versionOf('fastify', 'gateway'),
      '@fastify/http-proxy': versionOf('@fastify/http-proxy', 'gateway'),
      express: versionOf('express', '.'),
      'http-proxy-middleware': versionOf('http-proxy-middleware', '.'),
      amqplib: versionOf('amqplib', 'shared/platform'),
      ioredis: versionOf('ioredis', 'shared/platform'),
      autocannon: versionOf('autocannon', '.'),
    },
  }
}
