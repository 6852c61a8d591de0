#!/usr/bin/env node
// `npm run env:generate [-- FILE]`: writes FILE (`.env` beside docker-compose.yml by default) with fresh random
// secrets, for `docker compose up`, which refuses to start without secrets of the operator's own. It never
// overwrites a file: delete it first to start over (every token and order id signed with the old secrets ends).
// Plain Node with no dependencies, so that it runs on a fresh clone.
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** 256 random bits, base64url: 43 characters, above every secret's minimum length. */
const randomSecret = () => randomBytes(32).toString('base64url')

/** The secrets the services read, one line each. */
const secrets = ['JWT_SECRET', 'ORDER_ID_SECRET']

/** Ed25519 key pairs, one line each: the setting of the private key (PKCS#8 DER) and that of its public half (SPKI DER). */
const signingKeyPairs = [
  ['GATEWAY_SIGNING_KEY', 'GATEWAY_PUBLIC_KEYS'],
  ['WAITER_SIGNING_KEY', 'WAITER_PUBLIC_KEYS'],
]

function ed25519Settings([privateName, publicName]) {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  return [
    [privateName, privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64url')],
    [publicName, publicKey.export({ format: 'der', type: 'spki' }).toString('base64url')],
  ]
}

const settings = [...secrets.map((name) => [name, randomSecret()]), ...signingKeyPairs.flatMap(ed25519Settings)]
const file = process.argv[2] ?? join(import.meta.dirname, '..', '.env')
const header = [
  `# Secrets of your own, written by \`npm run env:generate\` on ${new Date().toISOString()}. docker compose reads`,
  '# them from here; keep the file to yourself (it is git-ignored) and never commit it.',
]
try {
  writeFileSync(file, [...header, ...settings.map(([name, value]) => `${name}=${value}`), ''].join('\n'), { flag: 'wx', mode: 0o600 })
} catch (error) {
  if (error.code !== 'EEXIST') throw error
  process.stderr.write(`${file} exists already: it is kept as it is (delete it for new secrets)\n`)
  process.exit(1)
}
process.stdout.write(`wrote ${settings.length} secrets to ${file}\n`)
