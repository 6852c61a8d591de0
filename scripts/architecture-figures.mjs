#!/usr/bin/env node
// Prints the architecture figures of issue 13 for a tree (default: this repository), so that the same counting
// is applied before and after a restructuring: files on the order path, per-package size and comment figures,
// and source files with a mirrored test. Usage: node scripts/architecture-figures.mjs [directory]
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import ts from 'typescript'

const root = resolve(process.argv[2] ?? join(import.meta.dirname, '..'))
const LONG_FUNCTION_LINES = 40

// The order path: the route that places an order, the use case, and the adapters it is given at composition
// (views, idempotency reservations, kitchen client, bus, menu). `follow` files are counted with everything they
// import for its value; `open` files are counted alone (the waiter's list of use cases, which a reader opens to
// find placeOrder but whose other use cases are not on the path). The first layout whose route exists is used.
const orderPaths = [
  {
    layout: 'layered (http/, use-cases/, adapters/)',
    open: ['services/waiter/src/use-cases/waiter.ts'],
    follow: [
      'services/waiter/src/http/order-routes.ts',
      'services/waiter/src/use-cases/place-order.ts',
      'services/waiter/src/use-cases/learn-reservation-memory.ts',
      'services/waiter/src/adapters/order-views.ts',
      'services/waiter/src/adapters/idempotency-reservations.ts',
      'services/waiter/src/adapters/kitchen-client.ts',
      'shared/platform/src/messaging/rabbit-bus.ts',
      'shared/platform/src/redis/menu-availability.ts',
    ],
  },
  {
    layout: 'flat (one folder per service, shared behind a barrel)',
    open: [],
    follow: [
      'services/waiter/src/order-routes.ts',
      'services/waiter/src/waiter.ts',
      'services/waiter/src/order-views.ts',
      'services/waiter/src/kitchen-client.ts',
      'shared/src/rabbit-bus.ts',
      'shared/src/menu-availability.ts',
    ],
  },
]

const packages = [
  ['contracts', 'shared/contracts'],
  ['platform', 'shared/platform'],
  ['shared (old)', 'shared'],
  ['gateway', 'gateway'],
  ['waiter', 'services/waiter'],
  ['kitchen', 'services/kitchen'],
].filter(([, dir]) => existsSync(join(root, dir, 'src')))

function parse(file) {
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true)
}

function sourceFilesIn(dir) {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { recursive: true })
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))
    .map((name) => join(dir, name))
    .sort()
}

/** Workspace package names mapped to their folders, read from their package.json files. */
function workspacePackages() {
  const dirs = ['gateway', ...['shared', 'services'].flatMap((parent) => readdirSync(join(root, parent)).map((name) => join(parent, name)))]
  const named = dirs.concat('shared').filter((dir) => existsSync(join(root, dir, 'package.json')))
  return new Map(named.map((dir) => [JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')).name, join(root, dir)]))
}

const workspace = workspacePackages()

/** A static import's file among our own sources, or undefined for a library or Node module. */
function resolveImport(fromFile, specifier) {
  if (specifier.startsWith('.')) return resolve(dirname(fromFile), specifier.replace(/\.js$/, '.ts'))
  for (const [name, dir] of workspace) {
    if (specifier === name) return join(dir, 'src/index.ts')
    if (specifier.startsWith(`${name}/`)) return join(dir, 'src', `${specifier.slice(name.length + 1)}.ts`)
  }
  return undefined
}

/** True when an import or export declaration brings in values, not only types. */
function bringsValues(statement) {
  const clause = ts.isImportDeclaration(statement) ? statement.importClause : statement
  if (clause === undefined) return true
  if (clause.isTypeOnly) return false
  const elements = ts.isImportDeclaration(statement) ? clause.namedBindings?.elements : statement.exportClause?.elements
  const hasDefault = ts.isImportDeclaration(statement) && clause.name !== undefined
  return hasDefault || elements === undefined || elements.length === 0 || elements.some((element) => !element.isTypeOnly)
}

function valueImportsOf(file) {
  return parse(file)
    .statements.filter((statement) => (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier)
    .filter(bringsValues)
    .map((statement) => resolveImport(file, statement.moduleSpecifier.text))
    .filter((target) => target !== undefined && existsSync(target))
}

// The platform's modules, and those of the old shared package that became the platform: infrastructure a service
// calls as it calls a library. The second count opens them but does not follow their own imports.
const oldPlatformFiles = new Set(
  ['api-keys', 'identity-guard', 'http', 'json-only', 'health', 'rabbit-bus', 'rabbit-delivery', 'rabbit-publisher', 'rabbit-topology',
   'dead-letters', 'config', 'logger', 'tracing', 'metrics', 'run-service', 'wait-for', 'errors', 'dependencies', 'redis', 'menu-availability']
    .map((name) => `shared/src/${name}.ts`),
)
const isPlatform = (file) => file.startsWith('shared/platform/') || oldPlatformFiles.has(file)

function orderPathFiles(followPlatform) {
  const path = orderPaths.find((candidate) => existsSync(join(root, candidate.follow[0])))
  if (path === undefined) return undefined
  const missing = [...path.open, ...path.follow].filter((file) => !existsSync(join(root, file)))
  const seen = new Set(path.open.map((file) => join(root, file)).filter(existsSync))
  const queue = path.follow.map((file) => join(root, file)).filter(existsSync)
  while (queue.length > 0) {
    const file = queue.shift()
    if (seen.has(file)) continue
    seen.add(file)
    if (followPlatform || !isPlatform(relative(root, file))) queue.push(...valueImportsOf(file))
  }
  return { layout: path.layout, missing, files: [...seen].map((file) => relative(root, file)).sort() }
}

function functionName(node) {
  if (node.name !== undefined) return node.name.getText()
  const parent = node.parent
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) && parent.name) return parent.name.getText()
  return ts.isConstructorDeclaration(node) ? 'constructor' : '(anonymous)'
}

function lineOf(source, position) {
  return source.getLineAndCharacterOfPosition(position).line
}

/** Every function, method and arrow function of a file with its length in lines. */
function functionsOf(source) {
  const found = []
  const visit = (node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
      const lines = lineOf(source, node.end) - lineOf(source, node.getStart(source)) + 1
      found.push({ name: functionName(node), lines })
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

/** The lines of a file that hold a comment (wholly or after code). */
function commentLinesOf(source) {
  const text = source.getFullText()
  const ranges = new Map()
  const collect = (node) => {
    for (const range of [...(ts.getLeadingCommentRanges(text, node.pos) ?? []), ...(ts.getTrailingCommentRanges(text, node.end) ?? [])]) ranges.set(range.pos, range)
    ts.forEachChild(node, collect)
  }
  collect(source)
  collect(source.endOfFileToken)
  const lines = new Set()
  for (const range of ranges.values()) for (let line = lineOf(source, range.pos); line <= lineOf(source, range.end); line++) lines.add(line)
  return lines.size
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

function packageFigures(dir) {
  const files = sourceFilesIn(join(root, dir, 'src')).map((file) => {
    const source = parse(file)
    const lines = source.getFullText().split('\n')
    const lineCount = lines.at(-1) === '' ? lines.length - 1 : lines.length
    const nonBlank = lines.filter((line) => line.trim() !== '').length
    return { file: relative(root, file), lineCount, nonBlank, comments: commentLinesOf(source), functions: functionsOf(source) }
  })
  const largest = files.reduce((a, b) => (b.lineCount > a.lineCount ? b : a), files[0])
  const long = files.flatMap(({ file, functions }) => functions.filter((f) => f.lines > LONG_FUNCTION_LINES).map((f) => `${file}: ${f.name} (${f.lines})`))
  const ratio = files.reduce((sum, f) => sum + f.comments, 0) / files.reduce((sum, f) => sum + f.nonBlank, 0)
  return { count: files.length, median: median(files.map((f) => f.lineCount)), largest, long, ratio }
}

const TEST_SUFFIXES = ['.test.ts', '.contract.ts', '.property.test.ts']

/** Source files of a package with a test of the same name: src/x/y.ts by test/x/y.test.ts, or test/y.test.ts. */
function mirroredFigures(dir) {
  const src = join(root, dir, 'src')
  const files = sourceFilesIn(src).map((file) => relative(src, file))
  const mirrored = files.filter((file) => {
    const stem = file.replace(/\.ts$/, '')
    const base = stem.split('/').at(-1)
    return [stem, base].some((name) => TEST_SUFFIXES.some((suffix) => existsSync(join(root, dir, 'test', name + suffix))))
  })
  return { total: files.length, mirrored: mirrored.length, unmirrored: files.filter((file) => !mirrored.includes(file)) }
}

function percent(part, whole) {
  return `${((100 * part) / whole).toFixed(1)} %`
}

function printOrderPath() {
  const path = orderPathFiles(true)
  console.log('(a) files per order path (static imports, type-only excluded)')
  if (path === undefined) return console.log('  no order routes file found')
  console.log(`  layout: ${path.layout}`)
  for (const file of path.missing) console.log(`  missing on this tree: ${file}`)
  console.log(`  ${path.files.length} files, every import followed`)
  for (const file of path.files) console.log(`    ${file}`)
  const own = orderPathFiles(false)
  const platform = own.files.filter(isPlatform)
  console.log(`  ${own.files.length} files with the platform opened but not followed (${own.files.length - platform.length} of the order's own code and contracts, ${platform.length} of the platform)`)
  for (const file of own.files) console.log(`    ${file}`)
}

function printPackages() {
  console.log(`(b) per package: source files, median and largest file in lines, functions over ${LONG_FUNCTION_LINES} lines, comment ratio`)
  for (const [name, dir] of packages) {
    const figures = packageFigures(dir)
    console.log(`  ${name}: ${figures.count} files, median ${figures.median}, largest ${figures.largest.file} (${figures.largest.lineCount}), comment ratio ${percent(figures.ratio, 1)}`)
    console.log(`    functions over ${LONG_FUNCTION_LINES} lines: ${figures.long.length}`)
    for (const entry of figures.long) console.log(`      ${entry}`)
  }
}

function printMirrored() {
  console.log('(c) source files with a mirrored test')
  let total = 0
  let mirrored = 0
  for (const [name, dir] of packages) {
    const figures = mirroredFigures(dir)
    total += figures.total
    mirrored += figures.mirrored
    console.log(`  ${name}: ${figures.mirrored}/${figures.total} (${percent(figures.mirrored, figures.total)}); without: ${figures.unmirrored.join(', ') || '-'}`)
  }
  console.log(`  all: ${mirrored}/${total} (${percent(mirrored, total)})`)
}

console.log(`architecture figures of ${root}`)
printOrderPath()
printPackages()
printMirrored()
