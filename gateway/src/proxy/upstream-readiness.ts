/** An upstream's own readiness report; throws with it when the upstream is not ready. */
export async function readinessOf(baseUrl: string, timeoutMs: number): Promise<unknown> {
  const response = await fetch(new URL('/ready', baseUrl), { signal: AbortSignal.timeout(timeoutMs) })
  const report: unknown = await response.json().catch(() => undefined)
  if (!response.ok) throw new Error(`answered ${response.status}`, { cause: report })
  return report
}
