import { BASIC_CHECKS } from './checks-basic.ts';
import { NEW_CHECKS } from './checks-new.ts';
import type { PixelCheck } from './support.ts';

/** The pixel check of every registered transform, by type (the conformance suite requires one each). */
export const PIXEL_CHECKS: { readonly [type: string]: PixelCheck } = { ...BASIC_CHECKS, ...NEW_CHECKS };
