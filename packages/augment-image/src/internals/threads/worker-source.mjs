// Entry of an augmentation thread when the package runs from its TypeScript sources (in the
// growset repository: tests, benchmarks, `GROWSET_SOURCE=1`). Worker threads do not inherit the
// parent's TypeScript loader (Node 20), so this registers tsx (a development dependency of the
// repository, never of the published package) before loading the worker; the parent starts it
// with `--conditions=@growset/source`, so growset's packages resolve to their sources too.
// Built packages (dist/) start `worker.js` directly.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
