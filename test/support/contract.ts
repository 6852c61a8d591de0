import { Ajv, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'

// ajv-formats is CommonJS: its default export arrives as the module object under NodeNext.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv

interface OpenApiDocument {
  paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: object }> }> }>>
}

export interface RecordedResponse {
  method: string
  path: string
  status: number
  contentType: string
  body: unknown
}

/**
 * The published OpenAPI document as a checker: a response conforms when its route, status and media type
 * are documented and its body validates against that schema.
 */
export function contractChecker(document: OpenApiDocument) {
  const ajv = addFormats(new Ajv({ strict: false, allErrors: true }))
  const validators = new Map<string, ValidateFunction>()
  const templates = Object.keys(document.paths).map((template) => ({
    template,
    pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
  }))

  return function check(response: RecordedResponse): string | undefined {
    const template = templates.find(({ pattern }) => pattern.test(response.path))?.template
    if (!template) return `${response.method} ${response.path}: no such route in the contract`
    const documented = document.paths[template]?.[response.method.toLowerCase()]?.responses?.[String(response.status)]
    if (!documented) return `${response.method} ${template}: status ${response.status} is not documented`
    const mediaType = response.contentType.split(';')[0] ?? ''
    const schema = documented.content?.[mediaType]?.schema
    if (!schema) return `${response.method} ${template} ${response.status}: ${mediaType} is not documented`
    const key = `${response.method} ${template} ${response.status} ${mediaType}`
    const validate = validators.get(key) ?? ajv.compile(schema)
    validators.set(key, validate)
    return validate(response.body) ? undefined : `${key}: ${ajv.errorsText(validate.errors)}`
  }
}
