import { envSchema } from 'env-schema'
import { Type, type Static, type TProperties } from 'typebox'

/** Defaults that make a fresh clone run under `NODE_ENV=development` or `test`; a production start refuses them. */
export const DEVELOPMENT_SECRETS = {
  // Ed25519 keys each caller signs its calls with (auth/service-keys.ts), and their public halves, which a
  // production start must not trust either: anyone can sign with the private halves printed here.
  GATEWAY_SIGNING_KEY: 'MC4CAQAwBQYDK2VwBCIEILcMehjDRcIL62K7I70HT4V_eSGcR2GgeXeLwSp4xSvx',
  GATEWAY_PUBLIC_KEYS: 'MCowBQYDK2VwAyEAXCNB4Ta5YvlPQdLWD6iDKl9M1cDrosEOfQMS4E4s1Cg',
  WAITER_SIGNING_KEY: 'MC4CAQAwBQYDK2VwBCIEIF85y8gp_VGAMN6LDmj38xF6kWnPP-6Je1i99VjfUVE7',
  WAITER_PUBLIC_KEYS: 'MCowBQYDK2VwAyEA_VgWK6rtEkUk4mU7L5587BBr4gVqlobhA5TpgxoroiE',
  JWT_SECRET: 'development-only-jwt-secret-change-me-please',
  ORDER_ID_SECRET: 'development-only-order-id-secret',
} as const

/** A TCP port to listen on, 0 for any free one. */
export const portSetting = (port: number) => Type.Integer({ minimum: 0, maximum: 65535, default: port })

/** Settings every service shares; each service adds its own to these (`PORT`, `INTERNAL_PORT` with its defaults). */
export const commonConfig = {
  // Production unless it says `development` or `test` (isProduction): an unset or misspelt mode is never lax.
  NODE_ENV: Type.String({ default: 'production' }),
  HOST: Type.String({ default: '127.0.0.1' }),
  LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    default: 'info',
  }),
  LOG_PRETTY: Type.Boolean({ default: false }),
  SHUTDOWN_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 10_000 }),
  MAX_EVENT_LOOP_DELAY_MS: Type.Integer({ minimum: 10, default: 1_000 }),
  // A burst of probes (several load balancers, a dashboard) costs each dependency one check per this window.
  READY_CACHE_MS: Type.Integer({ minimum: 0, maximum: 60_000, default: 1_000 }),
  // Empty: tracing off. An OTLP/HTTP endpoint (e.g. http://jaeger:4318): spans go there.
  OTEL_EXPORTER_OTLP_ENDPOINT: Type.String({ default: '' }),
}

/** One or more AMQP URLs, comma-separated, without spaces. */
const AMQP_URL_LIST = '^amqps?://[^,\\s]+(,amqps?://[^,\\s]+)*$'

export const rabbitConfig = {
  // One broker, or a cluster's members comma-separated: a connection tries them in turn and moves on when one goes away.
  AMQP_URL: Type.String({ pattern: AMQP_URL_LIST, default: 'amqp://guest:guest@127.0.0.1:5672' }),
  AMQP_NAMESPACE: Type.String({ pattern: '^[a-zA-Z0-9._-]+$', default: 'restaurant' }),
  AMQP_PREFETCH: Type.Integer({ minimum: 1, maximum: 1000, default: 50 }),
  AMQP_CONFIRM_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 5_000 }),
  AMQP_HEARTBEAT_SECONDS: Type.Integer({ minimum: 0, maximum: 60, default: 15 }),
  AMQP_MAX_PENDING_PUBLISHES: Type.Integer({ minimum: 1, default: 2_000 }),
  AMQP_RETRY_DELAYS_MS: Type.String({ pattern: '^[0-9]+(,[0-9]+)*$', default: '1000,10000,60000' }),
  AMQP_DELIVERY_LIMIT: Type.Integer({ minimum: 1, default: 20 }),
  // Well under RabbitMQ's consumer_timeout (30 min by default), past which the broker closes the channel.
  AMQP_MAX_HOLD_MS: Type.Integer({ minimum: 100, default: 600_000 }),
  AMQP_SET_ASIDE_MS: Type.Integer({ minimum: 100, default: 60_000 }),
}

const keySetting = (fallback: string) => Type.String({ pattern: '^[A-Za-z0-9_-]+$', default: fallback })
// More than one while a key is rotated: callees trust the new key before its caller signs with it.
const keyListSetting = (fallback: string) => Type.String({ pattern: '^[A-Za-z0-9_-]+(,[A-Za-z0-9_-]+)*$', default: fallback })

/** Per hop, who signs and who checks: the gateway signs its calls to the waiter, which trusts its public keys. */
export const gatewaySigningConfig = { GATEWAY_SIGNING_KEY: keySetting(DEVELOPMENT_SECRETS.GATEWAY_SIGNING_KEY) }
export const gatewayTrustConfig = { GATEWAY_PUBLIC_KEYS: keyListSetting(DEVELOPMENT_SECRETS.GATEWAY_PUBLIC_KEYS) }
/** The waiter signs its calls to the kitchen, which trusts its public keys. */
export const waiterSigningConfig = { WAITER_SIGNING_KEY: keySetting(DEVELOPMENT_SECRETS.WAITER_SIGNING_KEY) }
export const waiterTrustConfig = { WAITER_PUBLIC_KEYS: keyListSetting(DEVELOPMENT_SECRETS.WAITER_PUBLIC_KEYS) }

/** The name the Sentinels watch the master under, unless REDIS_MASTER_NAME says otherwise. */
export const DEFAULT_REDIS_MASTER_NAME = 'restaurant'

export const redisConfig = {
  REDIS_URL: Type.String({ default: 'redis://127.0.0.1:6379' }),
  // Empty: Redis at REDIS_URL. Sentinels as host:port,host:port: the master they name REDIS_MASTER_NAME, through failovers.
  REDIS_SENTINELS: Type.Optional(Type.String({ pattern: '^([^,]+:[0-9]+(,[^,]+:[0-9]+)*)?$', default: '' })),
  REDIS_MASTER_NAME: Type.Optional(Type.String({ minLength: 1, default: DEFAULT_REDIS_MASTER_NAME })),
  // Empty: the Sentinels ask for none. The master's own password, if any, is in REDIS_URL.
  REDIS_SENTINEL_PASSWORD: Type.Optional(Type.String({ default: '' })),
  REDIS_PREFIX: Type.String({ default: 'restaurant:' }),
  REDIS_COMMAND_TIMEOUT_MS: Type.Integer({ minimum: 10, default: 250 }),
}

/** What a service behind the gateway reads besides its own settings: the broker, Redis and the identity it checks. */
/** The services that keep a copy of the menu (menu/menu-copy.ts). */
export const menuCopyConfig = {
  // Changes reach every copy at once over the broker; this reload bounds how stale a change lost on the way leaves one.
  MENU_RELOAD_MS: Type.Integer({ minimum: 100, default: 10_000 }),
}

/** Where a service keeps what it owns: MongoDB when a URL is given, otherwise its own embedded files in DATA_DIR. */
export const storeConfig = {
  MONGO_URL: Type.Optional(Type.String({ minLength: 1 })),
  MONGO_DB: Type.String({ default: 'restaurant' }),
  DATA_DIR: Type.String({ default: './data' }),
}

export const backendConfig = { ...commonConfig, ...rabbitConfig, ...redisConfig, ...menuCopyConfig }

export type RabbitSettings = Static<ReturnType<typeof Type.Object<typeof rabbitConfig>>>
export type RedisSettings = Static<ReturnType<typeof Type.Object<typeof redisConfig>>>

/**
 * Reads and validates the environment once, at start-up. A bad or missing variable throws an error
 * that names it, e.g. `env/PORT must be integer`.
 */
export function loadConfig<P extends TProperties>(
  properties: P,
  env: Record<string, string | undefined> = process.env,
): Static<ReturnType<typeof Type.Object<P>>> {
  const schema = Type.Object(properties)
  // `env: false`: only the variables given are read (process.env by default), never merged with process.env.
  const config = envSchema({ schema, data: env, env: false, dotenv: false }) as Static<typeof schema>
  refuseDevelopmentSecretsInProduction(config)
  refuseSharedSecrets(config)
  return config
}

/** One secret, one purpose: a leaked token key must not also forge order ids or internal identities. */
function refuseSharedSecrets(config: object): void {
  const purposeOf = new Map<unknown, string>()
  for (const [name, value] of Object.entries(config).filter(([name]) => name.endsWith('_SECRET') || name.endsWith('_SIGNING_KEY'))) {
    const first = purposeOf.get(value)
    if (first !== undefined && value !== '') throw new Error(`env/${name} must differ from env/${first}: each secret serves one purpose`)
    purposeOf.set(value, name)
  }
}

/** The modes that accept the development secrets and switches; any other NODE_ENV, or none, is production. */
const NON_PRODUCTION_MODES: readonly unknown[] = ['development', 'test']

/** Whether a configuration runs in production: the one rule every check of the mode asks. */
export function isProduction(config: { NODE_ENV?: string }): boolean {
  return !NON_PRODUCTION_MODES.includes(config.NODE_ENV)
}

function refuseDevelopmentSecretsInProduction(config: object): void {
  if (!isProduction({ NODE_ENV: Reflect.get(config, 'NODE_ENV') as string | undefined })) return
  const weak = Object.entries(DEVELOPMENT_SECRETS).filter(([name, value]) => Reflect.get(config, name) === value)
  if (weak.length > 0) throw new Error(`env/${weak[0]?.[0]} must be set to a secret of your own in production`)
}
