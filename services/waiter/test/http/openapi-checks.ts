/** The parts of an OpenAPI 3.x document this API uses, and what a validator would refuse in them. */

interface Media { schema?: unknown }
interface Response { description?: unknown; headers?: Record<string, Media>; content?: Record<string, Media> }
interface Parameter { name: string; in: string; required?: boolean; schema?: unknown; description?: string }
export interface Operation {
  tags?: string[]
  summary?: string
  description?: string
  parameters?: Parameter[]
  requestBody?: { content: Record<string, Media> }
  responses: Record<string, Response>
  security?: Record<string, string[]>[]
}
export interface OpenApiDocument {
  components?: { securitySchemes?: Record<string, object> }
  openapi: string
  info: { title: string; version: string; description?: string }
  servers?: { url: string }[]
  tags?: { name: string }[]
  paths: Record<string, Record<string, Operation>>
}

const methods = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'])

export function operations(doc: OpenApiDocument): [string, Operation][] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]): [string, Operation] => [`${method.toUpperCase()} ${path}`, operation]),
  )
}

type Check = (ok: boolean, problem: string) => void

/** What an OpenAPI 3.x validator would refuse in the parts of the document this API uses. */
export function structuralProblems(doc: OpenApiDocument): string[] {
  const problems: string[] = []
  const check: Check = (ok, problem) => void (ok || problems.push(problem))
  check(/^3\.[01]\.\d+$/.test(doc.openapi), `openapi version ${doc.openapi}`)
  check(doc.info.title.length > 0 && doc.info.version.length > 0, 'info needs a title and a version')
  check((doc.servers ?? []).every((server) => typeof server.url === 'string'), 'servers need a url')
  check(!JSON.stringify(doc).includes('"$ref"'), 'no $ref: every schema is inline')
  const declaredTags = new Set((doc.tags ?? []).map((tag) => tag.name))
  for (const [path, item] of Object.entries(doc.paths)) {
    check(path.startsWith('/'), `${path} must start with /`)
    for (const [method, operation] of Object.entries(item)) checkOperation(check, `${method} ${path}`, method, path, operation, declaredTags)
  }
  return problems
}

function checkOperation(check: Check, at: string, method: string, path: string, operation: Operation, declaredTags: Set<string>): void {
  check(methods.has(method), `${at}: unknown method`)
  const parameters = operation.parameters ?? []
  const inPath = parameters.filter((p) => p.in === 'path').map((p) => p.name)
  check(JSON.stringify(inPath.sort()) === JSON.stringify([...path.matchAll(/{(\w+)}/g)].map((m) => m[1]).sort()), `${at}: path parameters`)
  for (const p of parameters) {
    check(['query', 'header', 'path', 'cookie'].includes(p.in) && typeof p.schema === 'object', `${at}: parameter ${p.name}`)
    check(p.in !== 'path' || p.required === true, `${at}: path parameter ${p.name} must be required`)
  }
  check(new Set(parameters.map((p) => `${p.in}:${p.name}`)).size === parameters.length, `${at}: duplicate parameters`)
  check((operation.tags ?? []).every((tag) => declaredTags.has(tag)), `${at}: undeclared tag`)
  const responses = Object.entries(operation.responses)
  check(responses.length > 0, `${at}: no responses`)
  for (const [status, response] of responses) {
    check(/^([1-5]\d\d|[1-5]XX|default)$/.test(status), `${at}: status ${status}`)
    check(typeof response.description === 'string', `${at} ${status}: description`)
    const parts = [...Object.values(response.content ?? {}), ...Object.values(response.headers ?? {})]
    check(parts.every((part) => typeof part.schema === 'object'), `${at} ${status}: content and headers need a schema`)
  }
}

/** The names of the request headers an operation documents, lower-cased as HTTP compares them. */
export function headerParameters(operation: Operation): string[] {
  return (operation.parameters ?? []).filter((p) => p.in === 'header').map((p) => p.name.toLowerCase()).sort()
}

/** The names of the headers a response documents, lower-cased. */
export function responseHeaders(operation: Operation, status: number): string[] {
  return Object.keys(operation.responses[String(status)]?.headers ?? {}).map((name) => name.toLowerCase()).sort()
}
