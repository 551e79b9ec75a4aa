import { getKernel, type KernelConfig } from '@tensorflow/tfjs';
import { conv2DBackpropFilterConfig, conv2DBackpropInputConfig } from './conv-backprop.ts';
import { convFilterBiasGradConfig, maxPoolReluGradConfig } from './conv-block-grads.ts';
import { denseForwardConfig, denseGradConfig, mlpStepConfig, softmaxCrossEntropyConfig } from './dense.ts';
import { fastRowGather } from './gather-rows.ts';
import { fastTransposeMatMul, replaceKernel } from './matmul.ts';
import { optimizerStepConfig } from './optimizer-step.ts';
import { maxPoolGradConfig } from './pool-grad.ts';
import { fastLeadingSum } from './sum-leading.ts';

/** Marks kernel functions installed by growset, so that registering twice is a no-op. */
const GROWSET_KERNEL = Symbol.for('growset.kernel');

function isGrowsetKernel(config: KernelConfig | undefined): boolean {
  return config !== undefined && GROWSET_KERNEL in config.kernelFunc;
}

function install(config: KernelConfig): void {
  Object.defineProperty(config.kernelFunc, GROWSET_KERNEL, { value: true });
  replaceKernel(config);
}

/**
 * Registers growset's wasm kernels (idempotent, per thread): the gradient kernels the backend lacks
 * or runs slowly (`Conv2DBackpropFilter`, `Conv2DBackpropInput`) and MatMul without the slow
 * transposed path; and `MaxPoolGrad`, whose wasm version disagrees with cpu on overlapping or padded
 * windows. `AvgPoolGrad` ships with the backend and agrees with cpu (verified by the tests).
 * Returns the kernel names.
 */
export function registerWasmKernels(): string[] {
  const installed: string[] = [];
  const candidates: Array<[string, () => KernelConfig | undefined]> = [
    ['Conv2DBackpropFilter', () => conv2DBackpropFilterConfig],
    ['Conv2DBackpropInput', () => conv2DBackpropInputConfig],
    ['MaxPoolGrad', () => maxPoolGradConfig],
    ['BatchMatMul', () => fastTransposeMatMul('BatchMatMul')],
    ['_FusedMatMul', () => fastTransposeMatMul('_FusedMatMul')],
    ['GatherV2', fastRowGather],
    ['Sum', fastLeadingSum],
    ['GrowsetOptimizerStep', () => optimizerStepConfig],
    ['GrowsetConv2DFilterBiasGrad', () => convFilterBiasGradConfig],
    ['GrowsetMaxPoolReluGrad', () => maxPoolReluGradConfig],
    ['GrowsetDense', () => denseForwardConfig],
    ['GrowsetDenseGrad', () => denseGradConfig],
    ['GrowsetSoftmaxCrossEntropy', () => softmaxCrossEntropyConfig],
    ['GrowsetMlpStep', () => mlpStepConfig],
  ];
  for (const [kernelName, make] of candidates) {
    if (!isGrowsetKernel(getKernel(kernelName, 'wasm'))) {
      const config = make();
      if (!config) continue;
      install({ ...config });
    }
    installed.push(kernelName);
  }
  return installed;
}
