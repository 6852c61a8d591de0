#!/usr/bin/env node
import { roles, type Role } from '@restaurant/contracts/identity'
import { loadGatewayConfig } from '../config.js'
import { mintToken, tokenSettingsFrom } from '../auth/tokens.js'

const config = loadGatewayConfig()
const settings = tokenSettingsFrom(config)
// The gateway refuses a token issued to live longer than JWT_MAX_LIFETIME_SECONDS: none is made here.
const longestHours = config.JWT_MAX_LIFETIME_SECONDS / 3600
const defaultHours = Math.min(12, longestHours)

const usage = `usage:
  npm run token -- SUBJECT ROLE[,ROLE] [HOURS]   a JWT for a person (roles: ${roles.join(', ')}; default ${defaultHours} hours, at most ${longestHours})
  npm run token -- --dev                         one token per role, for trying the API locally
signs with JWT_SECRET, JWT_ISSUER and JWT_AUDIENCE like the gateway; each token has an id (jti) it can be revoked by`

const [subject, granted = '', hours = String(defaultHours)] = process.argv.slice(2)
const isRole = (role: string): role is Role => (roles as readonly string[]).includes(role)

if (subject === '--dev') {
  const people: [string, Role][] = [['guest', 'customer'], ['chef', 'staff'], ['owner', 'admin']]
  process.stdout.write(`Development tokens (${defaultHours} hours), for \`Authorization: Bearer <token>\`:\n`)
  for (const [who, role] of people) process.stdout.write(`  ${role.padEnd(8)} ${mintToken(settings, { subject: who, roles: [role] }, defaultHours * 3600)}\n`)
  process.stdout.write('More with `npm run token -- SUBJECT ROLE`; API keys with `npm run keys`.\n')
  process.stdout.write('Order at http://127.0.0.1:3000/ and watch the pass at http://127.0.0.1:3000/board (sign in there).\n')
} else {
  const wanted = granted.split(',').filter(Boolean)
  const seconds = Number(hours) * 3600
  if (!subject || wanted.length === 0 || !wanted.every(isRole) || !(seconds > 0) || seconds > config.JWT_MAX_LIFETIME_SECONDS) {
    process.stderr.write(`${usage}\n`)
    process.exit(2)
  }
  process.stdout.write(`${mintToken(settings, { subject, roles: wanted.filter(isRole) }, seconds)}\n`)
}
