import { DependencyUnavailableError } from './errors.js'

/**
 * `target` (a store, a cache) whose methods, when they fail in a way `isUnavailable` recognises, fail with
 * DependencyUnavailableError naming `what`: the work that called them then waits for the dependency rather
 * than fail on its own, and an HTTP caller gets 503.
 */
export function unavailableOnFailure<T extends object>(what: string, target: T, isUnavailable: (err: unknown) => boolean): T {
  return new Proxy(target, {
    get(object, key, receiver) {
      const value: unknown = Reflect.get(object, key, receiver)
      if (typeof value !== 'function') return value
      return async (...args: unknown[]) => {
        try {
          return (await Reflect.apply(value, object, args)) as unknown
        } catch (err) {
          throw isUnavailable(err) && !(err instanceof DependencyUnavailableError) ? new DependencyUnavailableError(what, { cause: err }) : err
        }
      }
    },
  })
}
