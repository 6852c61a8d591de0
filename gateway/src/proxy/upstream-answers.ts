/**
 * Resolves when the upstream at `baseUrl` answers HTTP on its public port, whatever the answer short of a 5xx (it
 * is closing or shedding load): the gateway can reach it. Whether the upstream is itself ready is for its own
 * probes to say, on its internal port; the gateway does not fan readiness out.
 */
export async function upstreamAnswers(baseUrl: string, timeoutMs: number): Promise<void> {
  const response = await fetch(new URL('/', baseUrl), { method: 'HEAD', signal: AbortSignal.timeout(timeoutMs) }).catch((err: unknown) => {
    throw new Error(`no answer: ${reasonOf(err)}`)
  })
  if (response.status >= 500) throw new Error(`answered ${response.status}`)
}

/** What fetch says went wrong: the refused connection or the timeout under its generic `fetch failed`. */
function reasonOf(err: unknown): string {
  const cause = err instanceof Error ? err.cause : undefined
  if (cause instanceof Error) return cause.message
  return err instanceof Error ? err.message : String(err)
}

/** Resolves when any of the replicas answers: the gateway can serve through it. Otherwise throws what the first said. */
export async function someReplicaAnswers(urls: readonly string[], timeoutMs: number): Promise<void> {
  await Promise.any(urls.map((url) => upstreamAnswers(url, timeoutMs))).catch((err: AggregateError) => {
    throw err.errors[0]
  })
}
