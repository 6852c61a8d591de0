/**
 * Remembers token ids until their tokens expire: the first use of an id passes, any other within that time is a
 * replay. In memory, per process: a token is bound to one callee, which is where it must not be used twice.
 */
export function createReplayGuard(now: () => number = Date.now) {
  const seen = new Map<string, number>()
  return function firstUse(id: string, validUntil: number): boolean {
    forgetExpired(seen, now())
    if (seen.has(id)) return false
    seen.set(id, validUntil)
    return true
  }
}

// Tokens live a fixed time, so ids are held in about the order they expire: stop at the first one still valid.
function forgetExpired(seen: Map<string, number>, at: number): void {
  for (const [id, validUntil] of seen) {
    if (validUntil > at) return
    seen.delete(id)
  }
}
