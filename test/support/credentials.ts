import { createIdentitySigner, DEVELOPMENT_SECRETS, IDENTITY_HEADER, type Identity, type Role } from '@restaurant/shared'
import { loadGatewayConfig } from '../../gateway/src/config.js'
import { mintToken, tokenSettingsFrom } from '../../gateway/src/tokens.js'

/** Tokens as the gateway's default (development) settings sign them, and the identities behind them. */
export const tokenSettings = tokenSettingsFrom(loadGatewayConfig({}))

export const customer = (subject = 'alice'): Identity => ({ subject, roles: ['customer'] })
export const staff: Identity = { subject: 'chef', roles: ['staff'] }
export const admin: Identity = { subject: 'owner', roles: ['admin'] }

export function tokenFor(identity: Identity, expiresInSeconds = 3_600): string {
  return mintToken(tokenSettings, identity, expiresInSeconds)
}

/** The Authorization header of a person with these roles. */
export function bearer(identity: Identity | string): Record<string, string> {
  return { authorization: `Bearer ${typeof identity === 'string' ? identity : tokenFor(identity)}` }
}

export function asCustomer(subject?: string): Record<string, string> {
  return bearer(customer(subject))
}

export function as(...roles: Role[]): Record<string, string> {
  return bearer({ subject: roles.join('+'), roles })
}

const signIdentity = createIdentitySigner(DEVELOPMENT_SECRETS.IDENTITY_SECRET)

/** The header the gateway adds, for calling a service directly as if through the gateway. */
export function signedIdentity(identity: Identity): Record<string, string> {
  return { [IDENTITY_HEADER]: signIdentity(identity) }
}
