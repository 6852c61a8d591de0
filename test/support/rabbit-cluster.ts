import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { Test } from 'tap'
import { connectToBroker } from './isolation.js'

const run = promisify(execFile)
const script = join(import.meta.dirname, '..', '..', 'scripts', 'rabbitmq-cluster.sh')
// The script's default ports.
const CLUSTER_PORTS = [5681, 5682, 5683] as const

/** A member of the cluster, numbered as the script numbers them. */
export type ClusterMember = 1 | 2 | 3

/** The 3-node cluster of scripts/rabbitmq-cluster.sh, as a test sees it. */
export interface RabbitCluster {
  /** Every member's AMQP URL (guest on loopback), in member order: what the services get as their AMQP_URL list. */
  urls: readonly string[]
  /** `urls` joined with commas, as AMQP_URL takes them. */
  amqpUrl: string
  /** The member's Erlang node name, e.g. `restaurant-1@localhost`. */
  nodeOf(member: ClusterMember): string
  /** Kills the member's Erlang VM, as a machine that goes away; resolves once it is down. Started again at teardown if still down. */
  stopMember(member: ClusterMember): Promise<void>
  /** Starts a stopped member again with its data; resolves once it runs and has rejoined. */
  startMember(member: ClusterMember): Promise<void>
  /** How many members each quorum queue whose name starts with `prefix` (a run's namespace, say) has. */
  quorumMembers(prefix: string): Promise<Map<string, number>>
  /** The member that leads quorum queue `queue`. */
  leaderOf(queue: string): Promise<ClusterMember>
  /** The member a client's connection is on, found by the name the client gave it (the bus's `connectionName`). */
  memberServing(connectionName: string): Promise<ClusterMember>
}

const MEMBERS = [1, 2, 3] as const satisfies readonly ClusterMember[]
const nodeOf = (member: ClusterMember) => `restaurant-${member}@localhost`
const urlOf = (member: ClusterMember) => `amqp://guest:guest@127.0.0.1:${CLUSTER_PORTS[member - 1]}`

/**
 * The cluster, started by the script unless it already runs (a start takes about 20 s). At teardown a cluster
 * this call started is stopped and its folders removed; one found running gets back every member the test
 * stopped. Tests that stop members must not share the cluster with others running at the same time: they
 * belong in the fault suite, whose files run one at a time.
 */
export async function startRabbitCluster(t: Test): Promise<RabbitCluster> {
  const startedHere = !(await allMembersTakeConnections())
  if (startedHere) await runScript('start')
  const stopped = new Set<ClusterMember>()
  t.teardown(async () => {
    if (startedHere) return runScript('stop')
    for (const member of stopped) await runScript('start-node', String(member))
  })
  const urls = MEMBERS.map(urlOf)
  return {
    urls,
    amqpUrl: urls.join(','),
    nodeOf,
    async stopMember(member) {
      stopped.add(member)
      await runScript('stop-node', String(member))
    },
    async startMember(member) {
      await runScript('start-node', String(member))
      stopped.delete(member)
    },
    quorumMembers,
    leaderOf,
    memberServing,
  }
}

async function quorumMembers(prefix: string): Promise<Map<string, number>> {
  const queues = await listQueues()
  return new Map(queues.filter(({ name, type }) => type === 'quorum' && name.startsWith(prefix)).map(({ name, members }) => [name, members.length]))
}

async function leaderOf(queue: string): Promise<ClusterMember> {
  const leader = (await listQueues()).find(({ name }) => name === queue)?.leader
  const member = MEMBERS.find((candidate) => nodeOf(candidate) === leader)
  if (!member) throw new Error(`no member of the cluster leads queue ${queue} (leader: ${leader})`)
  return member
}

async function memberServing(connectionName: string): Promise<ClusterMember> {
  const connection = (await listConnections()).find((candidate) => connectionNameOf(candidate) === connectionName)
  const member = MEMBERS.find((candidate) => CLUSTER_PORTS[candidate - 1] === connection?.port)
  if (!member) throw new Error(`no connection named ${connectionName} on the cluster`)
  return member
}

async function runScript(...args: string[]): Promise<void> {
  await run('bash', [script, ...args], { timeout: 240_000 })
}

async function allMembersTakeConnections(): Promise<boolean> {
  for (const member of MEMBERS) {
    const connection = await connectToBroker([urlOf(member)]).catch(() => undefined)
    if (!connection) return false
    await connection.close()
  }
  return true
}

interface QueueRow {
  name: string
  type: string
  members: string[]
  leader?: string
}

interface ConnectionRow {
  port: number
  client_properties: Array<[string, string, unknown]>
}

function connectionNameOf(connection: ConnectionRow): unknown {
  return connection.client_properties.find(([key]) => key === 'connection_name')?.[2]
}

function listQueues(): Promise<QueueRow[]> {
  return rabbitmqctlJson<QueueRow>(['list_queues', 'name', 'type', 'members', 'leader'])
}

function listConnections(): Promise<ConnectionRow[]> {
  return rabbitmqctlJson<ConnectionRow>(['list_connections', 'port', 'client_properties'])
}

/** Asks the first member that answers: the others may be stopped by the test. */
async function rabbitmqctlJson<Row>(args: string[]): Promise<Row[]> {
  let failure: unknown
  for (const member of MEMBERS) {
    try {
      const { stdout } = await run('rabbitmqctl', ['-q', '-n', nodeOf(member), ...args, '--formatter', 'json'], { timeout: 30_000 })
      return JSON.parse(stdout) as Row[]
    } catch (err) {
      failure = err
    }
  }
  throw new Error('no cluster member answered rabbitmqctl', { cause: failure })
}
