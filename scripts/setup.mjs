#!/usr/bin/env node
// Brings a fresh clone to a runnable state: pnpm, the dependencies, the build.
// Plain Node with no dependencies, because it runs before anything is installed.
import { execSync, spawnSync } from 'node:child_process'

const PNPM_VERSION = '10.34.9'

function pnpmVersion() {
  const result = spawnSync('pnpm', ['--version'], { encoding: 'utf8' })
  return result.status === 0 ? result.stdout.trim() : undefined
}

function run(command) {
  console.log(`> ${command}`)
  execSync(command, { stdio: 'inherit' })
}

if (pnpmVersion() !== PNPM_VERSION) run(`npm install --global pnpm@${PNPM_VERSION}`)
run('pnpm install --frozen-lockfile --reporter=append-only')
run('pnpm exec tsc -b')
