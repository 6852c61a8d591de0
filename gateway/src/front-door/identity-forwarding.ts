import type { IncomingHttpHeaders } from 'node:http'
import { IDENTITY_HEADER, type Identity } from '@restaurant/contracts/identity'
import type { ServiceSigner } from '@restaurant/platform/auth/service-tokens'
import { REQUEST_ID_HEADER } from '@restaurant/platform/http/server'

// Headers a client could use to claim an identity; none of them reaches a service.
const clientIdentityHeader = /^(authorization|proxy-authorization|cookie|x-restaurant-.*|x-(forwarded|remote|auth)-(user|email|groups|roles?)|x-user(-.*)?|x-auth(-.*)?|remote-user)$/i

/** The request being forwarded: its id, and the method and path its identity is signed for. */
interface Forwarded {
  id: string
  method: string
  url: string
}

/**
 * The headers the waiter receives: the client's, minus anything that could claim an identity, plus the
 * identity the gateway verified, signed for the waiter and this one request, so that it can check it came from here.
 */
export function createIdentityForwarding(sign: ServiceSigner) {
  return (headers: IncomingHttpHeaders, identity: Identity, request: Forwarded): IncomingHttpHeaders => {
    const kept = Object.fromEntries(Object.entries(headers).filter(([name]) => !clientIdentityHeader.test(name)))
    return { ...kept, [REQUEST_ID_HEADER]: request.id, [IDENTITY_HEADER]: sign('waiter', identity, request) }
  }
}
