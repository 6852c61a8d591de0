import autocannon from 'autocannon'

/** Where and what one HTTP measurement sends; `setupRequest` changes each request (a fresh key, a header). */
export interface HttpTarget {
  name: string
  url: string
  request: autocannon.Request
}

export interface LoadBounds {
  connections: number
  /** Seconds the run lasts, unless `amount` requests are answered first. */
  durationSeconds: number
  amount?: number
  /** Requests per second over all connections; unlimited when absent. */
  overallRate?: number
}

export interface HttpRun {
  requestsPerSecond: number
  p50Ms: number
  p99Ms: number
  /** 2xx answers. */
  accepted: number
  answered: number
  non2xx: number
  /** Connection errors and timeouts: requests that got no answer. */
  errors: number
  seconds: number
}

/** One bounded autocannon run against `target`. */
export async function loadHttp(target: HttpTarget, bounds: LoadBounds): Promise<HttpRun> {
  let guard: NodeJS.Timeout | undefined
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: target.url,
        connections: bounds.connections,
        duration: bounds.durationSeconds,
        ...(bounds.amount === undefined ? {} : { amount: bounds.amount }),
        ...(bounds.overallRate === undefined ? {} : { overallRate: bounds.overallRate }),
        timeout: 10,
        requests: [target.request],
      },
      (err: unknown, done: autocannon.Result) => {
        clearTimeout(guard)
        if (err) reject(err instanceof Error ? err : new Error(String(err)))
        else resolve(done)
      },
    )
    // With `amount`, autocannon ignores `duration`: this keeps the run bounded in time all the same.
    guard = setTimeout(() => instance.stop(), (bounds.durationSeconds + 10) * 1000)
  })
  return {
    requestsPerSecond: result['2xx'] / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    accepted: result['2xx'],
    answered: result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    seconds: result.duration,
  }
}
