// Which processes the launcher runs, on which ports, with which upstreams. Pure: no I/O.
import { join } from 'node:path'

const root = join(import.meta.dirname, '..', '..')

/** Each kind's package folder (its working directory, as under `pnpm start`) and its entry. */
const kinds = {
  gateway: { dir: join(root, 'gateway'), offset: 0 },
  waiter: { dir: join(root, 'services/waiter'), offset: 1 },
  kitchen: { dir: join(root, 'services/kitchen'), offset: 2 },
}

/** Ports per replica: the n-th (from 0) of a kind listens on base + 10 n + its kind's offset (0 gateway, 1 waiter, 2 kitchen). */
export const MAX_REPLICAS = 10

/**
 * The processes for `counts` ({ gateway, waiter, kitchen }) from `basePort` (public) and `internalBasePort`
 * (probes and metrics): every gateway is given all waiters and all kitchens, every waiter all kitchens.
 */
// The launcher runs a developer's machine, so its processes say so (NODE_ENV=development: the development secrets
// and switches are accepted). On it webhooks may go to a receiver on it (plain http, loopback); production refuses this.
const localReceivers = { WEBHOOK_ALLOW_PRIVATE_DESTINATIONS: 'true' }

export function planStack(counts, { basePort, internalBasePort, host = '127.0.0.1' }) {
  const processes = Object.entries(kinds).flatMap(([kind, { dir, offset }]) =>
    Array.from({ length: counts[kind] }, (_, n) => {
      const port = basePort + 10 * n + offset
      const internalPort = internalBasePort + 10 * n + offset
      return { name: `${kind}-${n + 1}`, kind, dir, entry: join(dir, 'dist/main.js'), port, internalPort, url: `http://${host}:${port}` }
    }),
  )
  const urlsOf = (kind) => processes.filter((process) => process.kind === kind).map(({ url }) => url).join(',')
  const upstreams = { gateway: { WAITER_URL: urlsOf('waiter'), KITCHEN_URL: urlsOf('kitchen') }, waiter: { KITCHEN_URL: urlsOf('kitchen'), ...localReceivers }, kitchen: {} }
  return processes.map((process) => ({
    ...process,
    env: { NODE_ENV: 'development', PORT: String(process.port), INTERNAL_PORT: String(process.internalPort), ...upstreams[process.kind] },
  }))
}
