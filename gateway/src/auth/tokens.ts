import type { Identity } from '@restaurant/contracts/identity'
import { createIdentityJwtSigner, jwtVerifyOptions, type TokenSettings } from '@restaurant/platform/auth/identity-jwt'

export type { TokenSettings }

/** People's tokens (JWTs) are signed and checked with the gateway's JWT settings. */
export function tokenSettingsFrom(config: { JWT_SECRET: string; JWT_ISSUER: string; JWT_AUDIENCE: string }): TokenSettings {
  return { secret: config.JWT_SECRET, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE }
}

/** Options for @fastify/jwt: only HS256, only our issuer and audience, and `exp` and `sub` required. */
export function jwtOptions(settings: TokenSettings) {
  return { secret: settings.secret, verify: jwtVerifyOptions(settings) }
}

/** A token for a person, e.g. for local use (`npm run token`); `roles` become the claim of that name. */
export function mintToken(settings: TokenSettings, identity: Identity, expiresInSeconds: number): string {
  return createIdentityJwtSigner(settings, expiresInSeconds * 1000)(identity)
}
