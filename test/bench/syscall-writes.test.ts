import t from 'tap'
import { fileWrites, writesByKind } from '../../bench/syscall-writes.js'

const trace = [
  '4711  write(21</tmp/restaurant-test-x/tickets.sqlite-wal>, "\\0\\0"..., 4096) = 4096',
  '4711  pwrite64(21</tmp/restaurant-test-x/tickets.sqlite-wal>, "\\0\\0"..., 24, 0) = 24',
  '4711  fdatasync(21</tmp/restaurant-test-x/tickets.sqlite-wal>) = 0',
  '4711  write(23</var/tmp/etilqs_9db73a0894037e59>, "x", 1) = 1',
  '4712  writev(19<socket:[123456]>, [{iov_base="\\1\\0", iov_len=2}], 1 <unfinished ...>',
  '4712  <... writev resumed>) = 2',
  'sendto(22<TCP:[127.0.0.1:40000->127.0.0.1:6379]>, "*2\\r\\n", 5, 0, NULL, 0) = 5',
  '4713  write(5<anon_inode:[eventfd]>, "\\1\\0\\0\\0\\0\\0\\0\\0", 8) = 8',
  '4713  write(1<pipe:[998]>, "{}", 2) = 2',
  '4711  +++ exited with 0 +++',
].join('\n')

t.test('calls are told apart by what they wrote to; a resumed call counts once', async (t) => {
  t.same(writesByKind(trace), { 'file tickets.sqlite-wal': 2, 'sync tickets.sqlite-wal': 1, 'file etilqs_* (SQLite temporary)': 1, socket: 2, other: 2 })
})

t.test('file writes add up every file written, not the syncs or sockets', async (t) => {
  t.equal(fileWrites({ 'file tickets.sqlite': 1, 'file tickets.sqlite-wal': 2, 'file etilqs_* (SQLite temporary)': 1, 'sync tickets.sqlite-wal': 1, socket: 9 }), 4)
})
