import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { parseAllDocuments } from 'yaml'

/** One rendered Kubernetes object, as YAML gives it; the checks narrow it by apiVersion and kind. */
export interface Manifest {
  apiVersion: string
  kind: string
  metadata?: { name?: string }
  [field: string]: unknown
}

const run = promisify(execFile)

/** Renders a kustomization with `kubectl kustomize`, offline; fails, never skips, when kubectl is missing. */
export async function renderKustomization(dir: string): Promise<Manifest[]> {
  try {
    const { stdout } = await run('kubectl', ['kustomize', dir], { maxBuffer: 16 * 1024 * 1024 })
    return parseManifests(stdout)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error('kubectl is not installed: the Kubernetes manifests cannot be rendered or checked without it')
    }
    throw error
  }
}

export function parseManifests(text: string): Manifest[] {
  return parseAllDocuments(text).flatMap((document) => {
    if (document.errors.length > 0) throw document.errors[0]
    const value: unknown = document.toJS()
    return value === null ? [] : [value as Manifest]
  })
}

/** `Kind/name`, how a finding names the object it is about. */
export function describe(manifest: { kind: string; metadata?: { name?: string } }): string {
  return `${manifest.kind}/${manifest.metadata?.name ?? '?'}`
}
