import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const gatewayDir = fileURLToPath(new URL('../..', import.meta.url))

/** Runs one of the gateway's command-line tools from its source, as `npm run` would from the build. */
export function runCli(script: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['--import', 'tsx', `src/bin/${script}`, ...args], { cwd: gatewayDir, env: { ...process.env, NODE_ENV: 'test', ...env } }, (_err, stdout, stderr) =>
      resolve({ code: child.exitCode ?? -1, stdout, stderr }),
    )
  })
}
