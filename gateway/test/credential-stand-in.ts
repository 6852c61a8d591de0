import type { IncomingMessage, ServerResponse } from 'node:http'
import { isTokenRevoked, type CredentialSnapshot, type TokenClaims } from '@restaurant/platform/auth/revocations'

/**
 * The waiter's internal credential routes, over credentials a test holds in `truth`: what a gateway in front of a
 * stand-in waiter fills its cache from, and asks when its cache cannot answer.
 */
export function credentialStandIn() {
  const truth: CredentialSnapshot = { keys: [], subjects: [], tokens: [] }
  /** Every API key asked about, by id. */
  const keysAsked: string[] = []
  const revoked = (claims: TokenClaims) => {
    const subject = truth.subjects.find((revocation) => revocation.subject === claims.subject)
    const tokenRevoked = truth.tokens.some((revocation) => revocation.tokenId === claims.tokenId)
    return isTokenRevoked(claims, { subjectRevokedAtMs: subject && Date.parse(subject.revokedAt), tokenRevoked })
  }
  /** The answer to a call of an internal credential route; undefined for any other. */
  function answer(method: string, url: string, body: unknown): { status: number; body: unknown } | undefined {
    if (!url.startsWith('/internal/credentials')) return undefined
    if (method === 'GET') return { status: 200, body: truth }
    if (url.endsWith('/api-key')) {
      const { id } = body as { id: string }
      keysAsked.push(id)
      const found = truth.keys.find((stored) => stored.apiKey.id === id)
      return found ? { status: 200, body: found } : { status: 404, body: {} }
    }
    return { status: 200, body: { revoked: revoked(body as TokenClaims) } }
  }
  /** For a plain node:http stand-in: answers the call if it is one of these routes; true when it did. */
  function answerRaw(request: IncomingMessage, response: ServerResponse): boolean {
    if (!request.url?.startsWith('/internal/credentials')) return false
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString()
      const answered = answer(request.method ?? 'GET', request.url ?? '', text ? JSON.parse(text) : undefined)
      response.writeHead(answered?.status ?? 404, { 'content-type': 'application/json' }).end(JSON.stringify(answered?.body ?? {}))
    })
    return true
  }
  return { truth, keysAsked, answer, answerRaw }
}
export type CredentialStandIn = ReturnType<typeof credentialStandIn>
