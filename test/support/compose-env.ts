import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseEnv, promisify } from 'node:util'
import { gatewayConfigSchema, loadGatewayConfig } from '../../gateway/src/config.js'
import { kitchenConfigSchema, loadKitchenConfig } from '../../services/kitchen/src/config.js'
import { loadWaiterConfig, waiterConfigSchema } from '../../services/waiter/src/config.js'

const root = join(import.meta.dirname, '..', '..')

/** The apps the compose files run, by service name: the settings each reads, and its configuration start-up. */
export const composeApps = {
  gateway: { schema: gatewayConfigSchema, load: loadGatewayConfig },
  waiter: { schema: waiterConfigSchema, load: loadWaiterConfig },
  kitchen: { schema: kitchenConfigSchema, load: loadKitchenConfig },
}
export type AppName = keyof typeof composeApps
export const appNames = Object.keys(composeApps) as AppName[]

/**
 * A value of the compose file as compose hands it to the container, given the variables of the shell and `.env`:
 * `${NAME}`, `${NAME:-fallback}` (also when empty), `${NAME-fallback}`, `${NAME:?message}` and `${NAME?message}`. Where
 * compose would refuse to start (a required variable unset, or empty with `:?`), throws `compose refuses: NAME: message`.
 */
export function interpolate(value: string, variables: Record<string, string | undefined>): string {
  return value.replace(/\$\{(\w+)(?:(:?)([-?])([^}]*))?\}/g, (_match, name: string, colon: string, kind: string | undefined, word: string) => {
    const given = variables[name]
    const missing = given === undefined || (colon === ':' && given === '')
    if (!missing) return given
    if (kind === '?') throw new Error(`compose refuses: ${name}: ${word}`)
    return kind === '-' ? word : ''
  })
}

/** Runs `npm run env:generate`'s script into `file` and returns what it wrote, as compose would read it. */
export async function generatedEnv(file: string): Promise<Record<string, string>> {
  await promisify(execFile)(process.execPath, [join(root, 'scripts/generate-env.mjs'), file])
  return parseEnv(await readFile(file, 'utf8')) as Record<string, string>
}
