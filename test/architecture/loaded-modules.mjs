// Imports one module in this fresh process and prints, as JSON, the files that loading it brought in: the URLs
// the ESM loader resolved, and what it added to the CommonJS module cache (where packages that `require` each
// other land; what was there before, such as a test runner's preloaded hooks, is not counted).
// Usage: node loaded-modules.mjs <specifier>
import { createRequire, register } from 'node:module'
import { pathToFileURL } from 'node:url'
import { MessageChannel } from 'node:worker_threads'

const specifier = process.argv[2]
if (specifier === undefined) throw new Error('usage: loaded-modules.mjs <specifier>')

const cache = createRequire(import.meta.url).cache
const preloaded = new Set(Object.keys(cache))
const { port1, port2 } = new MessageChannel()
const resolved = []
port1.on('message', (message) => {
  if (message.url !== undefined) resolved.push(message.url)
})
register(new URL('./module-recorder.mjs', import.meta.url), { data: { port: port2 }, transferList: [port2] })

await import(specifier)
const flushed = new Promise((done) => port1.on('message', (message) => message.flushed && done()))
port1.postMessage('flush')
await flushed
port1.close()

const required = Object.keys(cache).filter((file) => !preloaded.has(file)).map((file) => pathToFileURL(file).href)
console.log(JSON.stringify([...new Set([...resolved, ...required])]))
