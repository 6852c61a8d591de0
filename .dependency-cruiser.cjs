/** The layers of the restaurant's code, checked by `pnpm run lint:architecture` and test/architecture. */

// Libraries that reach the outside world, matched by the package folder they resolve into (pnpm's store included).
// @fastify/error is allowed: it only makes coded error classes (STYLE.md's errors), with no dependency and no I/O.
const ioLibraries = 'node_modules/(fastify|@fastify/(?!error/)[^/]+|amqplib|ioredis|mongodb|better-sqlite3|@seald-io/nedb|undici|pino)/'
const ioBuiltIns = '^(node:)?(fs|fs/promises|net|http|https|http2|child_process|dgram|tls|cluster|worker_threads)$'
const platform = '^shared/(platform|src)/'
const service = '^services/([^/]+)/src/'

const forbidden = [
  {
    name: 'domain-is-pure',
    comment: 'A domain file is plain rules: no platform, no I/O library, no Node I/O module.',
    severity: 'error',
    from: { path: `${service}domain/` },
    to: { path: [platform, ioLibraries, ioBuiltIns] },
  },
  {
    name: 'domain-points-inward',
    comment: 'A domain file knows nothing of the use cases, adapters and routes built on it.',
    severity: 'error',
    from: { path: `${service}domain/` },
    to: { path: `^services/$1/src/(use-cases|adapters|http)/` },
  },
  {
    name: 'use-cases-use-ports',
    comment: 'A use case reaches stores, buses and clients through the ports beside it, never an adapter, a route or an I/O library.',
    severity: 'error',
    from: { path: `${service}use-cases/` },
    to: { path: [`^services/$1/src/(adapters|http)/`, ioLibraries, ioBuiltIns] },
  },
  {
    name: 'adapters-below-http',
    comment: 'Routes call adapters, not the other way round.',
    severity: 'error',
    from: { path: `${service}adapters/` },
    to: { path: `^services/$1/src/http/` },
  },
  {
    name: 'services-apart',
    comment: 'A service talks to another through messages and HTTP, never by importing its code.',
    severity: 'error',
    from: { path: '^services/([^/]+)/' },
    to: { path: '^services/[^/]+/', pathNot: '^services/$1/' },
  },
  {
    name: 'gateway-without-messaging',
    comment: 'The gateway speaks HTTP only: it loads neither amqplib nor the messaging platform.',
    severity: 'error',
    from: { path: '^gateway/src/' },
    to: { path: ['node_modules/amqplib/', '^shared/platform/[^/]+/messaging/', '^shared/src/(rabbit|bus|messaging)'] },
  },
  {
    name: 'contracts-are-data',
    comment: 'Contracts are schemas and tables: importing them must load no platform and no I/O library.',
    severity: 'error',
    from: { path: '^shared/contracts/' },
    to: { path: [platform, ioLibraries, ioBuiltIns] },
  },
  {
    name: 'no-circular',
    comment: 'A cycle that exists at run time (type-only imports aside) means two files are one.',
    severity: 'error',
    from: {},
    to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
  },
  {
    name: 'not-to-unresolvable',
    comment: 'An import that resolves to nothing is broken (or its package is not built: run `pnpm exec tsc -b`).',
    severity: 'error',
    from: {},
    to: { couldNotResolve: true },
  },
]

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: ['node_modules', '/dist/'] },
    exclude: { path: '/test/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: require('node:path').join(__dirname, 'tsconfig.base.json') },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      // Resolved as Node resolves at run time, so a package is matched by the files it would load.
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.d.ts'],
      mainFields: ['main', 'types'],
    },
    skipAnalysisNotInRules: true,
  },
}
