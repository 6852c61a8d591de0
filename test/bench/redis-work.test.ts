import t from 'tap'
import { parseRedisWork } from '../../bench/redis-work.js'

const info = [
  '# Commandstats',
  'cmdstat_evalsha:calls=8,usec=90,usec_per_call=11.25,rejected_calls=0,failed_calls=0',
  'cmdstat_client|setname:calls=2,usec=3,usec_per_call=1.50,rejected_calls=0,failed_calls=0',
  'cmdstat_info:calls=40,usec=900,usec_per_call=22.50,rejected_calls=0,failed_calls=0',
  '',
  '# Stats',
  'total_commands_processed:50',
  'total_reads_processed:31',
].join('\r\n')

t.test('calls are read by command, subcommands included, and reads from the stats section', async (t) => {
  t.same(parseRedisWork(info), { calls: { evalsha: 8, 'client|setname': 2 }, readsProcessed: 31 })
})

t.test('the benchmark\'s own INFO calls are not counted as the services\' work', async (t) => {
  t.notOk('info' in parseRedisWork(info).calls)
})

t.test('an answer without the stats section is refused rather than read as no work', async (t) => {
  t.throws(() => parseRedisWork('# Commandstats\r\ncmdstat_get:calls=1,usec=1'), /total_reads_processed/)
})
