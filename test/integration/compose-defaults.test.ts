import { execFile } from 'node:child_process'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { parse } from 'yaml'
import { DEVELOPMENT_SECRETS, isProduction } from '@restaurant/platform/runtime/config'
import { appNames, composeApps as apps, generatedEnv, interpolate, type AppName } from '../support/compose-env.js'

// `docker compose up` as it starts each app: the environment the file gives it, through compose's interpolation,
// into the app's own configuration start-up. No Docker engine runs here.
const root = join(import.meta.dirname, '..', '..')
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as { services: Record<string, { environment?: Record<string, string> }> }

const environmentOf = (name: AppName) => compose.services[name]?.environment ?? {}
/** What compose would hand the app, given the shell's and `.env`'s variables; throws where compose would refuse. */
const startedEnvironment = (name: AppName, variables: Record<string, string>) =>
  Object.fromEntries(Object.entries(environmentOf(name)).map(([key, value]) => [key, interpolate(String(value), variables)]))
/** The settings of an app that default to a public development secret. */
const secretsOf = (name: AppName) => Object.keys(DEVELOPMENT_SECRETS).filter((key) => key in apps[name].schema)

t.test('compose runs every app in production mode', async (t) => {
  for (const name of appNames) {
    t.equal(environmentOf(name).NODE_ENV, 'production', name)
    t.ok(isProduction(startedEnvironment(name, { ...DEVELOPMENT_SECRETS, NODE_ENV: 'development' })), `${name}: a NODE_ENV in .env changes nothing`)
  }
})

t.test('each secret of each app is required from the operator: compose refuses to start without it, or with it empty', async (t) => {
  for (const name of appNames) {
    t.ok(secretsOf(name).length > 0, `${name} reads secrets`)
    for (const secret of secretsOf(name)) {
      t.match(environmentOf(name)[secret], new RegExp(`^\\$\\{${secret}:\\?.*env:generate.*\\}$`), `${name} ${secret} says how to make one`)
      const others = Object.fromEntries(Object.entries(DEVELOPMENT_SECRETS).filter(([key]) => key !== secret))
      t.throws(() => startedEnvironment(name, others), { message: `compose refuses: ${secret}: run npm run env:generate for a .env of your own` }, `${name} without ${secret}`)
      t.throws(() => startedEnvironment(name, { ...DEVELOPMENT_SECRETS, [secret]: '' }), { message: new RegExp(`^compose refuses: ${secret}:`) }, `${name} with ${secret} empty`)
    }
  }
})

t.test('an app given the development secrets, or none, refuses them at its own start-up', async (t) => {
  for (const name of appNames) {
    const withDevelopmentSecrets = startedEnvironment(name, DEVELOPMENT_SECRETS)
    t.throws(() => apps[name].load(withDevelopmentSecrets), /must be set to a secret of your own in production/, `${name} on the development secrets`)
    const withoutSecrets = Object.fromEntries(Object.entries(withDevelopmentSecrets).filter(([key]) => !secretsOf(name).includes(key)))
    t.throws(() => apps[name].load(withoutSecrets), /must be set to a secret of your own in production/, `${name} on its defaults`)
  }
})

t.test('with a .env from npm run env:generate every app starts, each on distinct secrets of its own', async (t) => {
  const secrets = await generatedEnv(join(t.testdir(), '.env'))
  t.same(Object.keys(secrets).sort(), [...new Set(appNames.flatMap(secretsOf))].sort(), 'one value for every secret an app reads')
  t.equal(new Set(Object.values(secrets)).size, Object.keys(secrets).length, 'no two alike')
  for (const name of appNames) t.doesNotThrow(() => apps[name].load(startedEnvironment(name, secrets)), name)
  t.not((await generatedEnv(join(t.testdir(), 'again.env'))).JWT_SECRET, secrets.JWT_SECRET, 'fresh on each run')
})

t.test('the generator keeps an existing file as it is, readable by its owner alone', async (t) => {
  const file = join(t.testdir(), '.env')
  await generatedEnv(file)
  const written = readFileSync(file, 'utf8')
  await t.rejects(generatedEnv(file), /exists already/)
  t.equal(readFileSync(file, 'utf8'), written)
  t.equal(statSync(file).mode & 0o777, 0o600)
})

t.test('.env is git-ignored', async (t) => {
  const { stdout } = await promisify(execFile)('git', ['check-ignore', '.env'], { cwd: root })
  t.equal(stdout.trim(), '.env')
})
