/**
 * Runs a service's start-up; a failure (bad configuration, a dependency that never came) ends the
 * process with one readable line rather than a stack trace.
 */
export function runService(name: string, start: () => Promise<void>): void {
  start().catch((err: unknown) => {
    const message = err instanceof Error ? err.message : String(err)
    process.stderr.write(`${name} could not start: ${message}\n`)
    process.exit(1)
  })
}
