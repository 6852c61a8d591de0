/** The value of one Prometheus series a service exposes at /metrics (labels matched as given), or 0 when absent. */
export async function metricValue(serviceUrl: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`${serviceUrl}/metrics`)).text()
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`)
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name}{`) && wanted.every((label) => candidate.includes(label)))
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0
}
