import type { IncomingHttpHeaders } from 'node:http'
import { IDENTITY_HEADER, type Identity } from '@restaurant/contracts/identity'
import { createIdentitySigner } from '@restaurant/platform/auth/identity-tokens'
import { REQUEST_ID_HEADER } from '@restaurant/platform/http/server'

// Headers a client could use to claim an identity; none of them reaches a service.
const clientIdentityHeader = /^(authorization|proxy-authorization|cookie|x-restaurant-.*|x-(forwarded|remote|auth)-(user|email|groups|roles?)|x-user(-.*)?|x-auth(-.*)?|remote-user)$/i

/**
 * The headers the waiter receives: the client's, minus anything that could claim an identity, plus the
 * identity the gateway verified, signed so that the services can check it came from here.
 */
export function createIdentityForwarding(identitySecret: string) {
  const sign = createIdentitySigner(identitySecret)
  return (headers: IncomingHttpHeaders, identity: Identity, requestId: string): IncomingHttpHeaders => {
    const kept = Object.fromEntries(Object.entries(headers).filter(([name]) => !clientIdentityHeader.test(name)))
    return { ...kept, [REQUEST_ID_HEADER]: requestId, [IDENTITY_HEADER]: sign(identity) }
  }
}
