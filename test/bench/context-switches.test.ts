import t from 'tap'
import { switchesIn } from '../../bench/context-switches.js'

t.test('voluntary and involuntary switches add up; a status without them counts none', async (t) => {
  const status = 'Name:\tnode\nState:\tS (sleeping)\nvoluntary_ctxt_switches:\t1200\nnonvoluntary_ctxt_switches:\t34\n'
  t.equal(switchesIn(status), 1234)
  t.equal(switchesIn('Name:\tnode\n'), 0)
})
