/**
 * kubernetes-models' validators check every field they know and ignore the others. A compiled validator
 * reads each field it knows (and each entry of the maps it checks), so whatever it never read is a field
 * the schema does not have: the API server would refuse it, or, worse, drop it.
 */
export function validateRefusingUnknownFields(validate: (data: unknown) => void, value: unknown): string[] {
  const reads = new Map<object, Reads>()
  const errors: string[] = []
  try {
    validate(watchReads(value, '', reads))
  } catch (error) {
    errors.push((error as Error).message)
  }
  for (const [target, { path, read }] of reads) {
    if (Array.isArray(target)) continue
    for (const key of Object.keys(target)) if (!read.has(key)) errors.push(`${path}/${key} is not a field of this kind`)
  }
  return errors
}

interface Reads {
  path: string
  read: Set<string>
  proxy: object
}

function watchReads(value: unknown, path: string, reads: Map<object, Reads>): unknown {
  if (value === null || typeof value !== 'object') return value
  const known = reads.get(value)
  if (known) return known.proxy
  const read = new Set<string>()
  const proxy = new Proxy(value, {
    get(target, key, receiver) {
      const field: unknown = Reflect.get(target, key, receiver)
      if (typeof key !== 'string' || !Object.hasOwn(target, key)) return field
      read.add(key)
      return watchReads(field, `${path}/${key}`, reads)
    },
  })
  reads.set(value, { path, read, proxy })
  return proxy
}
