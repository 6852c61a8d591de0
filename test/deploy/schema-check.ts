import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv, type ErrorObject } from 'ajv'
import * as keda from '@kubernetes-models/keda/keda.sh/v1alpha1'
import * as core from 'kubernetes-models/v1'
import * as apps from 'kubernetes-models/apps/v1'
import * as autoscaling from 'kubernetes-models/autoscaling/v2'
import * as networking from 'kubernetes-models/networking.k8s.io/v1'
import * as policy from 'kubernetes-models/policy/v1'
import { type Manifest } from './manifests.js'
import { validateRefusingUnknownFields } from './unread-fields.js'

type Validate = (data: unknown) => string[]

/** The API groups the manifests use, each a module of model classes by kind. */
const modelGroups: Record<string, Record<string, unknown>> = {
  v1: core,
  'apps/v1': apps,
  'autoscaling/v2': autoscaling,
  'networking.k8s.io/v1': networking,
  'policy/v1': policy,
  'keda.sh/v1alpha1': keda,
}

const crdSchemaDir = fileURLToPath(new URL('../../deploy/k8s/schemas/', import.meta.url))

/** The operators' kinds, from the JSON Schemas of deploy/k8s/schemas (`$id` is `apiVersion/kind`). */
function loadCrdValidators(): Map<string, Validate> {
  const ajv = new Ajv({ allErrors: true, allowUnionTypes: true })
  const validators = new Map<string, Validate>()
  for (const file of readdirSync(crdSchemaDir).filter((name) => name.endsWith('.schema.json'))) {
    const schema = JSON.parse(readFileSync(join(crdSchemaDir, file), 'utf8')) as { $id: string }
    const validate = ajv.compile(schema)
    validators.set(schema.$id, (data) => (validate(data) ? [] : (validate.errors ?? []).map(describeAjvError)))
  }
  return validators
}

function describeAjvError(error: ErrorObject): string {
  return `${error.instancePath} ${error.message ?? ''} ${JSON.stringify(error.params)}`
}

const crdValidators = loadCrdValidators()

function modelValidator(apiVersion: string, kind: string): Validate | undefined {
  const model = modelGroups[apiVersion]?.[kind]
  if (typeof model !== 'function') return undefined
  const validate = (model.prototype as { validate: () => void }).validate
  return (data) => validateRefusingUnknownFields((watched) => validate.call(watched), data)
}

/** What is wrong with one object against its kind's schema; unknown fields and unknown kinds included. */
export function schemaErrors(manifest: Manifest): string[] {
  const { apiVersion, kind } = manifest
  const validate = modelValidator(apiVersion, kind) ?? crdValidators.get(`${apiVersion}/${kind}`)
  return validate ? validate(manifest) : [`no schema for ${apiVersion} ${kind}`]
}
