import t from 'tap'
import { IDENTITY_HEADER, type Identity } from '@restaurant/contracts/identity'
import { callers, internalRoutes, type Caller } from '@restaurant/contracts/public-routes'
import { signingKeyFrom } from '@restaurant/platform/auth/service-keys'
import { createServiceSigner } from '@restaurant/platform/auth/service-tokens'
import { DEVELOPMENT_SECRETS } from '@restaurant/platform/runtime/config'
import { startInProcessSystem } from '../support/in-process-system.js'

/**
 * The authorization matrix of the internal API: every internal route, on the service that serves it, called with a
 * token of every caller (and with none). The callers the route table lists get past authorization (whatever their
 * request's own merits); everyone else is refused, 401 or 403.
 */
const signers: Record<Caller, ReturnType<typeof createServiceSigner>> = {
  gateway: createServiceSigner('gateway', signingKeyFrom(DEVELOPMENT_SECRETS.GATEWAY_SIGNING_KEY, 'GATEWAY_SIGNING_KEY')),
  waiter: createServiceSigner('waiter', signingKeyFrom(DEVELOPMENT_SECRETS.WAITER_SIGNING_KEY, 'WAITER_SIGNING_KEY')),
}
const asAdmin: Identity = { subject: 'owner', roles: ['admin'] }

const system = await startInProcessSystem(t)
const apps = { waiter: system.app, kitchen: system.kitchen?.app }

for (const route of internalRoutes) {
  const url = route.path.replaceAll(':id', 'some-id')
  t.test(`${route.method} ${route.path} on the ${route.service}: ${route.callers.join(', ')} only`, async (t) => {
    const app = apps[route.service]
    if (!app) throw new Error(`no ${route.service} in this system`)
    const callAs = async (caller: Caller | 'nobody') => {
      const token = caller === 'nobody' ? undefined : signers[caller](route.service, asAdmin, { method: route.method, url })
      const payload = route.method === 'GET' ? {} : { payload: {} }
      return (await app.inject({ method: route.method, url, headers: token ? { [IDENTITY_HEADER]: token } : {}, ...payload })).statusCode
    }
    const admitted: readonly Caller[] = route.callers
    for (const caller of callers) {
      const status = await callAs(caller)
      if (admitted.includes(caller)) t.notOk([401, 403].includes(status), `${caller}: past authorization (${status})`)
      else t.ok([401, 403].includes(status), `${caller}: refused (${status})`)
    }
    t.equal(await callAs('nobody'), 401, 'no token: 401')
  })
}
