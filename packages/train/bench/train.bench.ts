/**
 * growset's training loop against plain `model.fit`, on the same backend, in the same process.
 *
 * Data: the real MNIST digits of the `mnist` package (first 8,000 train, next 2,000 test, class
 * balanced), pixels standardized with MNIST's mean and std. Models: the MLP 784-128-64-10 and
 * the CNN conv 8 3x3, max-pool, conv 16 3x3, max-pool, dense 10 (ReLU, Adam), 5 epochs, batch
 * 64 and 256. Baselines: `model.fit` of the same architecture (tfjs-layers) with the wasm
 * backend's stock kernels ("stock"; the CNN cannot train on stock wasm, so it gets only growset's
 * missing Conv2DBackpropFilter), and `model.fit` with every growset kernel installed.
 *
 * Two more baselines: the same loop as it was before growset's fused dense kernels ("loop
 * before": tfjs's MatMul kernels, eleven small loss kernels, Adam in JavaScript), and PyTorch 1.13
 * on one thread (bench/torch_mlp.py, MLP batch 64 only), run as a child process whose epochs are
 * alternated with growset's when /usr/bin/python3 has torch, else compared with its committed
 * output bench/torch_mlp.json.
 *
 * Throughput is the median of single epochs alternated between the contenders (the machine is
 * shared); accuracy comes from one full run of each.
 *
 * Usage: npm run bench [-- --quick] [-- --profile] [-- --json FILE] [-- --only cnn] [-- --no-torch]
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Rng } from '@growset/core';
import { loadMnist } from '@growset/fixtures';
import * as tf from '@tensorflow/tfjs';
import {
  cnn,
  describeBackend,
  formatKernelProfile,
  initBackend,
  mlp,
  type NeuralEstimator,
  profileKernels,
  toLayersModel,
} from '../src/index.ts';
import { setSimdAdam } from '../src/internals/backend/kernels/optimizer-step.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const profile = args.includes('--profile');
const jsonFile = args.includes('--json') ? args[args.indexOf('--json') + 1] : undefined;
/** `--only cnn` (or `mlp`): run only the models whose name contains it. */
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const TRAIN = quick ? 2000 : 8000;
const TEST = quick ? 500 : 2000;
const EPOCHS = quick ? 2 : 5;
const ROUNDS = quick ? 2 : 6;
const CLASSES = Array.from({ length: 10 }, (_, i) => String(i));

// The stock wasm kernels growset replaces, captured before it installs its own.
await import('@tensorflow/tfjs-backend-wasm');
const OVERRIDDEN = ['Conv2DBackpropInput', 'MaxPoolGrad', 'BatchMatMul', '_FusedMatMul', 'GatherV2', 'Sum'];
const stock = new Map(OVERRIDDEN.map((name) => [name, tf.getKernel(name, 'wasm')]));
const info = await initBackend({ backend: 'wasm' });
const growset = new Map(OVERRIDDEN.map((name) => [name, tf.getKernel(name, 'wasm')]));
console.log(`Backend: ${describeBackend(info)}`);

/** growset's fused dense-layer kernels: unregistered, the loop runs as it did before them. */
const LOOP_KERNELS = ['GrowsetDense', 'GrowsetDenseGrad', 'GrowsetSoftmaxCrossEntropy', 'GrowsetMlpStep'];
const loopKernels = new Map(LOOP_KERNELS.map((name) => [name, tf.getKernel(name, 'wasm')]));

function useLoop(which: 'now' | 'before'): void {
  for (const name of LOOP_KERNELS) {
    const config = loopKernels.get(name);
    if (tf.getKernel(name, 'wasm')) tf.unregisterKernel(name, 'wasm');
    if (which === 'now' && config) tf.registerKernel(config);
  }
  setSimdAdam(which === 'now');
}

/** PyTorch 1.13, one thread, in a child process: one epoch per request (null when unavailable). */
const torchScript = new URL('./torch_mlp.py', import.meta.url).pathname;
const torchCommitted = JSON.parse(readFileSync(new URL('./torch_mlp.json', import.meta.url), 'utf8')) as {
  samplesPerSecondMedianEpoch: number;
  samplesPerCpuSecondMedianEpoch?: number;
  testAccuracyMean: number;
  loadAverage: number;
};

/** One epoch's wall and CPU milliseconds (CPU: this process, all threads). */
interface EpochTime {
  wallMs: number;
  cpuMs: number;
}

async function startTorch(): Promise<{ epoch(): Promise<EpochTime>; stop(): void } | null> {
  if (args.includes('--no-torch') || !existsSync('/usr/bin/python3')) return null;
  const child = spawn('/usr/bin/python3', [torchScript, '--serve'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const line = await lines.next();
    if (line.done) throw new Error('torch_mlp.py ended');
    return line.value;
  };
  try {
    if ((await next()) !== 'ready') throw new Error('torch_mlp.py did not start');
  } catch {
    child.kill();
    return null;
  }
  return {
    async epoch() {
      child.stdin.write('epoch\n');
      // PyTorch trains on its own 8,000 digits whatever --quick says: its time, per 8,000 samples,
      // scaled to this run's training size.
      const reply = JSON.parse(await next()) as { epochMs: number; cpuMs: number; samples: number };
      return {
        wallMs: (reply.epochMs * TRAIN) / reply.samples,
        cpuMs: (reply.cpuMs * TRAIN) / reply.samples,
      };
    },
    stop() {
      child.stdin.end('quit\n');
    },
  };
}

function useKernels(which: 'stock' | 'growset'): void {
  for (const name of OVERRIDDEN) {
    const config = (which === 'stock' ? stock : growset).get(name);
    if (!config) continue;
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(config);
  }
}

async function digits(image: boolean) {
  const samples = await loadMnist({ limit: TRAIN + TEST });
  const x = new Float32Array(samples.length * 784);
  const y = new Int32Array(samples.length);
  samples.forEach((s, i) => {
    const pixels = (s.payload as { data: Uint8Array }).data;
    for (let j = 0; j < 784; j++) x[i * 784 + j] = (pixels[j]! / 255 - 0.1307) / 0.3081;
    y[i] = Number(s.label);
  });
  const featureShape = image ? [28, 28, 1] : [784];
  return {
    train: { x: x.subarray(0, TRAIN * 784), y: y.subarray(0, TRAIN), featureShape, classes: CLASSES },
    test: { x: x.subarray(TRAIN * 784), y: y.subarray(TRAIN), featureShape, classes: CLASSES },
  };
}

type Data = Awaited<ReturnType<typeof digits>>;

interface Run {
  samplesPerSecond: number;
  testAccuracy: number;
  error?: string;
}

/** Median of epoch throughputs: robust to other processes stealing the CPU for a while. */
function medianRate(epochMs: number[]): number {
  const sorted = [...epochMs].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const ms = sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return (TRAIN * 1000) / ms;
}

async function runLoop(
  make: () => NeuralEstimator,
  data: Data,
  which: 'now' | 'before' = 'now',
): Promise<Run & { epochMs: number[] }> {
  useKernels('growset');
  useLoop(which);
  const estimator = make();
  const epochMs: number[] = [];
  let last = performance.now();
  await estimator.fit(data.train, {
    rng: Rng.create(1),
    onEpochEnd: () => {
      const now = performance.now();
      epochMs.push(now - last);
      last = now;
    },
  });
  const testAccuracy = (await estimator.score(data.test)).accuracy;
  estimator.dispose();
  useLoop('now');
  return { samplesPerSecond: medianRate(epochMs), testAccuracy, epochMs };
}

async function runModelFit(
  estimator: NeuralEstimator,
  data: Data,
  batchSize: number,
  lr: number,
  kernels: 'stock' | 'growset',
): Promise<Run & { epochMs: number[] }> {
  useKernels(kernels);
  const model = toLayersModel(estimator.spec, data.train.featureShape, 10);
  model.compile({ optimizer: tf.train.adam(lr), loss: 'categoricalCrossentropy' });
  const x = tf.tensor(data.train.x, [TRAIN, ...data.train.featureShape]);
  const y = tf.oneHot(tf.tensor1d(data.train.y, 'int32'), 10);
  const epochMs: number[] = [];
  let began = 0;
  try {
    await model.fit(x, y, {
      epochs: EPOCHS,
      batchSize,
      shuffle: true,
      verbose: 0,
      callbacks: {
        onEpochBegin: async () => {
          began = performance.now();
        },
        onEpochEnd: async () => {
          epochMs.push(performance.now() - began);
        },
      },
    });
    const predicted = tf.tidy(() =>
      tf
        .argMax(model.predict(tf.tensor(data.test.x, [TEST, ...data.test.featureShape])) as tf.Tensor, 1)
        .dataSync(),
    );
    let correct = 0;
    for (let i = 0; i < TEST; i++) if (predicted[i] === data.test.y[i]) correct++;
    return { samplesPerSecond: medianRate(epochMs), testAccuracy: correct / TEST, epochMs };
  } catch (error) {
    return {
      samplesPerSecond: Number.NaN,
      testAccuracy: Number.NaN,
      epochMs,
      error: error instanceof Error ? error.message : String(error),
    };
  } finally {
    x.dispose();
    y.dispose();
    model.dispose();
    useKernels('growset');
  }
}

/** Median single-epoch throughput of the three contenders, alternated epoch by epoch. */
async function alternateEpochs(
  make: (epochs?: number) => NeuralEstimator,
  estimator: NeuralEstimator,
  data: Data,
  batchSize: number,
  lr: number,
  torch: { epoch(): Promise<EpochTime> } | null,
): Promise<{
  loop: number;
  loopBefore: number;
  fitStock: number;
  fitKernels: number;
  torch: number;
  loopCpu: number;
  torchCpu: number;
  stockError?: string;
}> {
  const x = tf.tensor(data.train.x, [TRAIN, ...data.train.featureShape]);
  const y = tf.oneHot(tf.tensor1d(data.train.y, 'int32'), 10);
  const models = (['stock', 'growset'] as const).map((kernels) => {
    const model = toLayersModel(estimator.spec, data.train.featureShape, 10);
    model.compile({ optimizer: tf.train.adam(lr), loss: 'categoricalCrossentropy' });
    return { kernels, model, epochMs: [] as number[], error: undefined as string | undefined };
  });
  const loopMs: number[] = [];
  const beforeMs: number[] = [];
  const torchMs: number[] = [];
  const loopCpuMs: number[] = [];
  const torchCpuMs: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    useKernels('growset');
    for (const which of ['now', 'before'] as const) {
      useLoop(which);
      const one = make();
      const oneEpoch = new (one.constructor as new (spec: NeuralEstimator['spec']) => NeuralEstimator)({
        ...one.spec,
        epochs: 1,
      });
      one.dispose();
      const start = performance.now();
      const cpu = process.cpuUsage();
      await oneEpoch.fit(data.train, { rng: Rng.create(round) });
      (which === 'now' ? loopMs : beforeMs).push(performance.now() - start);
      if (which === 'now') {
        const used = process.cpuUsage(cpu);
        loopCpuMs.push((used.user + used.system) / 1000);
      }
      oneEpoch.dispose();
    }
    useLoop('now');
    if (torch) {
      const t = await torch.epoch();
      torchMs.push(t.wallMs);
      torchCpuMs.push(t.cpuMs);
    }
    for (const m of models) {
      if (m.error) continue;
      useKernels(m.kernels);
      const began = performance.now();
      try {
        await m.model.fit(x, y, { epochs: 1, batchSize, shuffle: true, verbose: 0 });
        m.epochMs.push(performance.now() - began);
      } catch (error) {
        m.error = error instanceof Error ? error.message : String(error);
      }
    }
  }
  useKernels('growset');
  x.dispose();
  y.dispose();
  for (const m of models) m.model.dispose();
  const [stockRun, kernelRun] = models as [(typeof models)[number], (typeof models)[number]];
  return {
    loop: medianRate(loopMs),
    loopBefore: medianRate(beforeMs),
    torch: torchMs.length > 0 ? medianRate(torchMs) : Number.NaN,
    loopCpu: medianRate(loopCpuMs),
    torchCpu: torchCpuMs.length > 0 ? medianRate(torchCpuMs) : Number.NaN,
    fitStock: stockRun.error ? Number.NaN : medianRate(stockRun.epochMs),
    fitKernels: medianRate(kernelRun.epochMs),
    ...(stockRun.error ? { stockError: stockRun.error } : {}),
  };
}

async function warmModelFit(
  estimator: NeuralEstimator,
  train: Data['train'],
  batchSize: number,
): Promise<void> {
  for (const kernels of ['stock', 'growset'] as const) {
    useKernels(kernels);
    const model = toLayersModel(estimator.spec, train.featureShape, 10);
    model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
    const n = train.y.length;
    const x = tf.tensor(train.x, [n, ...train.featureShape]);
    const y = tf.oneHot(tf.tensor1d(train.y, 'int32'), 10);
    await model.fit(x, y, { epochs: 1, batchSize, verbose: 0 }).catch(() => undefined);
    x.dispose();
    y.dispose();
    model.dispose();
  }
  useKernels('growset');
}

const configs = [
  { name: 'mlp 784-128-64-10', image: false, batch: 64, lr: 1e-3 },
  { name: 'mlp 784-128-64-10', image: false, batch: 256, lr: 2e-3 },
  { name: 'cnn 8c3-p2-16c3-p2-10', image: true, batch: 64, lr: 1e-2 },
  { name: 'cnn 8c3-p2-16c3-p2-10', image: true, batch: 256, lr: 2e-2 },
];
const rows: Record<string, unknown>[] = [];
const fmt = (v: number) => (Number.isFinite(v) ? Math.round(v).toString() : 'n/a');
const ratio = (a: number, b: number) => (Number.isFinite(a / b) ? `${(a / b).toFixed(2)}x` : 'n/a');
console.log(
  `MNIST ${TRAIN}/${TEST}, ${EPOCHS} epochs, Adam; samples/s = median of ${ROUNDS} single epochs, alternated between the three; loop CNN uses a cosine schedule, model.fit a constant rate\n`,
);
console.log(
  'model                   batch  loop s/s  fit(stock) s/s  fit(+kernels) s/s  loop/stock  loop/+kernels  acc loop  acc fit(+kernels)  loop before s/s  loop/before  acc before',
);
const selected = configs.filter((config) => only === undefined || config.name.includes(only));
const torch = selected.some((c) => !c.image && c.batch === 64) ? await startTorch() : null;
const torchRows: string[] = [];
for (const c of selected) {
  const data = await digits(c.image);
  const make = (epochs = EPOCHS) =>
    c.image
      ? cnn({ conv: [8, 16], epochs, batchSize: c.batch, learningRate: c.lr, schedule: 'cosine' })
      : mlp({ hidden: [128, 64], epochs, batchSize: c.batch, learningRate: c.lr });
  const spec = make();
  // Warm up both paths (JIT, XNNPACK operators, kernel setup) on a slice before timing.
  const warm = {
    train: { ...data.train, x: data.train.x.subarray(0, 512 * 784), y: data.train.y.subarray(0, 512) },
    test: data.test,
  };
  const warmEstimator = c.image
    ? cnn({ conv: [8, 16], epochs: 1, batchSize: c.batch })
    : mlp({ hidden: [128, 64], epochs: 1, batchSize: c.batch });
  await warmEstimator.fit(warm.train, { rng: Rng.create(0) });
  warmEstimator.dispose();
  await warmModelFit(spec, warm.train, c.batch);
  // Accuracy: one full run of each (5 epochs from scratch).
  const loop = await runLoop(make, data);
  const loopBefore = await runLoop(make, data, 'before');
  const fitKernels = await runModelFit(spec, data, c.batch, c.lr, 'growset');
  // Speed: single epochs, alternated (loop, model.fit stock, model.fit + kernels) so that load
  // from other processes hits all three alike; each figure is the median epoch.
  const withTorch = !c.image && c.batch === 64 ? torch : null;
  const speed = await alternateEpochs(make, spec, data, c.batch, c.lr, withTorch);
  loop.samplesPerSecond = speed.loop;
  loopBefore.samplesPerSecond = speed.loopBefore;
  fitKernels.samplesPerSecond = speed.fitKernels;
  const fitStock: Run = {
    samplesPerSecond: speed.fitStock,
    testAccuracy: Number.NaN,
    ...(speed.stockError ? { error: speed.stockError } : {}),
  };
  spec.dispose();
  console.log(
    `${c.name.padEnd(24)}${String(c.batch).padStart(5)}  ${fmt(loop.samplesPerSecond).padStart(8)}  ${fmt(fitStock.samplesPerSecond).padStart(14)}  ${fmt(fitKernels.samplesPerSecond).padStart(17)}  ${ratio(loop.samplesPerSecond, fitStock.samplesPerSecond).padStart(10)}  ${ratio(loop.samplesPerSecond, fitKernels.samplesPerSecond).padStart(13)}  ${(loop.testAccuracy * 100).toFixed(2).padStart(7)}%  ${(fitKernels.testAccuracy * 100).toFixed(2).padStart(15)}%  ${fmt(loopBefore.samplesPerSecond).padStart(15)}  ${ratio(loop.samplesPerSecond, loopBefore.samplesPerSecond).padStart(11)}  ${(loopBefore.testAccuracy * 100).toFixed(2).padStart(9)}%`,
  );
  if (!c.image && c.batch === 64) {
    const committedCpu = torchCommitted.samplesPerCpuSecondMedianEpoch ?? Number.NaN;
    const vsCommitted = `committed PyTorch run (bench/torch_mlp.json, load average ${torchCommitted.loadAverage.toFixed(1)} then) ${fmt(torchCommitted.samplesPerSecondMedianEpoch)} samples/s: ${ratio(loop.samplesPerSecond, torchCommitted.samplesPerSecondMedianEpoch)}, ${fmt(committedCpu)} per CPU second: ${ratio(speed.loopCpu, committedCpu)}`;
    const accuracy = `test accuracy ${(loop.testAccuracy * 100).toFixed(2)}% vs PyTorch ${(torchCommitted.testAccuracyMean * 100).toFixed(2)}% (mean of 3 seeds, same settings): ${loop.testAccuracy >= torchCommitted.testAccuracyMean ? 'not lower' : 'LOWER'}`;
    torchRows.push(
      Number.isFinite(speed.torch)
        ? `${c.name} batch ${c.batch}: loop ${fmt(loop.samplesPerSecond)} samples/s, PyTorch 1 thread ${fmt(speed.torch)} in this run (epochs alternated): ${ratio(loop.samplesPerSecond, speed.torch)}; per CPU second (each process's own CPU time, median epoch): loop ${fmt(speed.loopCpu)}, PyTorch ${fmt(speed.torchCpu)}: ${ratio(speed.loopCpu, speed.torchCpu)}; ${vsCommitted}; ${accuracy}`
        : `${c.name} batch ${c.batch}: PyTorch not run here (no /usr/bin/python3 with torch, or --no-torch); ${vsCommitted}; ${accuracy}`,
    );
  }
  if (fitStock.error) console.log(`  model.fit on stock kernels: ${fitStock.error}`);
  rows.push({
    model: c.name,
    batch: c.batch,
    learningRate: c.lr,
    loop,
    loopBefore,
    fitStock,
    fitKernels,
    ...(!c.image && c.batch === 64
      ? {
          torchSamplesPerSecond: speed.torch,
          loopSamplesPerCpuSecond: speed.loopCpu,
          torchSamplesPerCpuSecond: speed.torchCpu,
        }
      : {}),
  });
}
torch?.stop();
for (const line of torchRows) console.log(`\nAgainst PyTorch: ${line}`);

if (profile) {
  const flat = await digits(false);
  for (const which of ['now', 'before'] as const) {
    useLoop(which);
    const estimator = mlp({ hidden: [128, 64], epochs: 1, batchSize: 64, learningRate: 1e-3 });
    console.log(
      `\nKernel profile, growset loop${which === 'before' ? ' before the fused dense kernels' : ''}, mlp batch 64, 1 epoch:`,
    );
    console.log(
      formatKernelProfile(await profileKernels(() => estimator.fit(flat.train, { rng: Rng.create(1) }))),
    );
    estimator.dispose();
  }
  useLoop('now');
  const data = await digits(true);
  const make = () => cnn({ conv: [8, 16], epochs: 1, batchSize: 64, learningRate: 5e-3 });
  const estimator = make();
  console.log('\nKernel profile, growset loop, cnn batch 64, 1 epoch:');
  console.log(
    formatKernelProfile(await profileKernels(() => estimator.fit(data.train, { rng: Rng.create(1) }))),
  );
  const model = toLayersModel(estimator.spec, [28, 28, 1], 10);
  model.compile({ optimizer: tf.train.adam(5e-3), loss: 'categoricalCrossentropy' });
  const x = tf.tensor(data.train.x, [TRAIN, 28, 28, 1]);
  const y = tf.oneHot(tf.tensor1d(data.train.y, 'int32'), 10);
  console.log('\nKernel profile, model.fit with growset kernels, cnn batch 64, 1 epoch:');
  console.log(
    formatKernelProfile(
      await profileKernels(() => model.fit(x, y, { epochs: 1, batchSize: 64, verbose: 0 })),
    ),
  );
  estimator.dispose();
  model.dispose();
  x.dispose();
  y.dispose();
}

if (jsonFile)
  writeFileSync(
    jsonFile,
    `${JSON.stringify({ backend: info, train: TRAIN, test: TEST, epochs: EPOCHS, rows }, null, 2)}\n`,
  );
