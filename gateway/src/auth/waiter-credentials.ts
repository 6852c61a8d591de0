import createError from '@fastify/error'
import type { TSchema, Static } from 'typebox'
import { Type } from 'typebox'
import { Compile } from 'typebox/compile'
import { StoredApiKeySchema, type StoredApiKey } from '@restaurant/platform/auth/api-keys'
import { CredentialSnapshotSchema, type CredentialSnapshot, type TokenClaims } from '@restaurant/platform/auth/revocations'
import type { ServiceSigner } from '@restaurant/platform/auth/service-tokens'
import { gatewayIdentityHeader } from './gateway-identity.js'

export const CredentialSourceUnavailableError = createError('CREDENTIAL_SOURCE_UNAVAILABLE', 'Credentials cannot be checked right now', 503)

/** Where the truth of API keys and revocations is asked for when the cache cannot answer: the waiter. */
export interface CredentialSource {
  snapshot(): Promise<CredentialSnapshot>
  /** The key of that id, undefined when there is none. */
  apiKey(id: string): Promise<StoredApiKey | undefined>
  tokenRevoked(claims: TokenClaims): Promise<boolean>
}

export interface WaiterCredentialsOptions {
  waiterUrls: readonly [string, ...string[]]
  timeoutMs: number
  sign: ServiceSigner
}

const checkSnapshot = Compile(CredentialSnapshotSchema)
const checkKey = Compile(StoredApiKeySchema)
const RevokedAnswer = Type.Object({ revoked: Type.Boolean() })
const checkRevoked = Compile(RevokedAnswer)

/** The waiter's internal credential routes; any failure to get an answer is CredentialSourceUnavailableError (503). */
export function createWaiterCredentials({ waiterUrls, timeoutMs, sign }: WaiterCredentialsOptions): CredentialSource {
  async function call(method: 'GET' | 'POST', path: string, body?: object): Promise<Response> {
    let failure: unknown
    for (const origin of waiterUrls) {
      try {
        return await fetch(`${origin}${path}`, {
          method,
          headers: { ...gatewayIdentityHeader(sign, { method, url: path }), ...(body ? { 'content-type': 'application/json' } : {}) },
          ...(body ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.timeout(timeoutMs),
        })
      } catch (err) {
        failure = err
      }
    }
    throw new CredentialSourceUnavailableError({ cause: failure })
  }
  async function read<S extends TSchema>(response: Response, check: { Check(value: unknown): value is Static<S> }): Promise<Static<S>> {
    const body: unknown = await response.json().catch(() => undefined)
    if (response.ok && check.Check(body)) return body
    throw new CredentialSourceUnavailableError({ cause: new Error(`the waiter answered ${response.status}`) })
  }

  return {
    snapshot: async () => read<typeof CredentialSnapshotSchema>(await call('GET', '/internal/credentials'), checkSnapshot),
    async apiKey(id) {
      const response = await call('POST', '/internal/credentials/api-key', { id })
      if (response.status !== 404) return read<typeof StoredApiKeySchema>(response, checkKey)
      await response.body?.cancel()
      return undefined
    },
    tokenRevoked: async (claims) => (await read<typeof RevokedAnswer>(await call('POST', '/internal/credentials/token', claims), checkRevoked)).revoked,
  }
}
