import { IDENTITY_HEADER, type Identity } from '@restaurant/contracts/identity'
import type { ServiceCall, ServiceSigner } from '@restaurant/platform/auth/service-tokens'

/** Who the gateway says it is when it calls the waiter on its own behalf (filling its cache of credentials, the CLI). */
const gatewayItself: Identity = { subject: 'service:gateway', roles: [] }

/** The header that signs one call the gateway makes to the waiter: on its own behalf, or on an operator's (the CLI). */
export function gatewayIdentityHeader(sign: ServiceSigner, call: ServiceCall, identity: Identity = gatewayItself): Record<string, string> {
  return { [IDENTITY_HEADER]: sign('waiter', identity, call) }
}
