import { describe, type Manifest } from './manifests.js'
import { rules } from './rules.js'
import { schemaErrors } from './schema-check.js'

/** Every check by name (`schema`, then each rule) with what it found; all empty when the objects pass. */
export function checkManifests(manifests: Manifest[]): Record<string, string[]> {
  const schema = manifests.flatMap((manifest) => schemaErrors(manifest).map((error) => `${describe(manifest)}: ${error}`))
  const ruleFindings = Object.entries(rules).map(([name, rule]) => [name, rule(manifests)] as const)
  return { schema, ...Object.fromEntries(ruleFindings) }
}
