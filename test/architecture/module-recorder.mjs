// Module hooks (run on the loader's own thread): every URL the ESM loader resolves is posted to the main
// thread. A 'flush' from the main thread is answered after every earlier URL, since a port keeps its order.
let port

export function initialize(data) {
  port = data.port
  port.on('message', (message) => {
    if (message === 'flush') port.postMessage({ flushed: true })
  })
  port.unref()
}

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context)
  port.postMessage({ url: resolved.url })
  return resolved
}
