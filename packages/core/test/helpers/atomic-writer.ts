// Child process for the SIGKILL test: rewrites one file atomically, forever, with content
// that can be checked for completeness (payload followed by its SHA-256 in hex).
import { createHash } from 'node:crypto';
import { writeFileAtomic } from '../../src/index.ts';

const target = process.argv[2];
if (!target) throw new Error('usage: atomic-writer <file>');
for (let round = 0; ; round++) {
  const payload = Buffer.alloc(8 * 1024 * 1024 + round, round % 251);
  const digest = createHash('sha256').update(payload).digest('hex');
  await writeFileAtomic(target, Buffer.concat([payload, Buffer.from(digest)]), { durable: false });
  process.stdout.write('wrote\n');
}
