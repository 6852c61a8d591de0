// The cluster profile's one-shot init (docker-compose.cluster.yml), run by mongosh against the first member:
// initiates the replica set REPLICA_SET with the members REPLICA_SET_MEMBERS names unless it already is, then
// waits for a primary, so that the kitchen starts against a set that takes writes.
const name = process.env.REPLICA_SET
const members = process.env.REPLICA_SET_MEMBERS.split(',').map((host, index) => ({ _id: index, host }))

try {
  rs.status()
  print('replica set already initiated')
} catch (error) {
  if (error.codeName !== 'NotYetInitialized') throw error
  rs.initiate({ _id: name, members })
  print('replica set initiated')
}

const hasPrimary = () => rs.status().members.some((member) => member.stateStr === 'PRIMARY')
for (let attempt = 0; !hasPrimary(); attempt += 1) {
  if (attempt === 120) throw new Error('no primary after 60 s')
  sleep(500)
}
print('replica set has a primary')
