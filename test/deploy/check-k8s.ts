import { fileURLToPath } from 'node:url'
import { checkManifests } from './check-manifests.js'
import { renderKustomization } from './manifests.js'

// `pnpm run check:k8s`: the checks of test/deploy/k8s.test.ts on every overlay, one line per problem.
const overlays = ['dev', 'prod']
let problems = 0
for (const overlay of overlays) {
  const findings = checkManifests(await renderKustomization(fileURLToPath(new URL(`../../deploy/k8s/overlays/${overlay}`, import.meta.url))))
  for (const [check, found] of Object.entries(findings)) {
    for (const problem of found) console.log(`${overlay}: ${check}: ${problem}`)
    problems += found.length
  }
}
console.log(problems === 0 ? `${overlays.join(' and ')}: every check passes` : `${problems} problems`)
process.exitCode = problems === 0 ? 0 : 1
