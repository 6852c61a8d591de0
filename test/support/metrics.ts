/** A service's /metrics text, from its internal port; empty when it does not answer. One scrape: some gauges reset when read. */
export async function scrapeMetrics(internalUrl: string): Promise<string> {
  return (await (await fetch(`${internalUrl}/metrics`).catch(() => undefined))?.text()) ?? ''
}

/** The sum of the samples of one metric in a scrape, those with the given labels only; undefined when it has none. */
export function sampleSum(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`)
  const samples = text.split('\n').filter((line) => (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) && wanted.every((label) => line.includes(label)))
  return samples.length === 0 ? undefined : samples.reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0)
}

/**
 * The sum of the samples of one metric a service exposes at /metrics on its internal port, those with the given
 * labels only; undefined when it has none, or the service does not answer.
 */
export async function metricValue(internalUrl: string, name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  return sampleSum(await scrapeMetrics(internalUrl), name, labels)
}
