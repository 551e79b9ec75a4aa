import {
  type Estimator,
  type FitOptions,
  type FitResult,
  type JsonObject,
  type LabeledData,
  OptionsError,
  type Rng,
} from '@growset/core';
import { z } from 'zod';
import { BaseEstimator } from '../estimators/base.ts';
import { createEstimator } from '../estimators/registry.ts';
import type { StopReason } from '../loop/fit.ts';

/** A JSON estimator spec inside an ensemble's options (validated when the member is built). */
export const memberSpecSchema = z.custom<JsonObject & { model: string }>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { model?: unknown }).model === 'string',
  { message: 'an estimator spec object with a `model` name, e.g. { "model": "mlp" }' },
);

/** Builds a member from its spec; its option errors become errors on the ensemble's field. */
export function buildMember(spec: JsonObject, field: string, optionsType: string): Estimator {
  try {
    return createEstimator(spec);
  } catch (error) {
    if (error instanceof OptionsError) {
      throw new OptionsError(
        {
          optionsType,
          field: error.field ? `${field}.${error.field}` : field,
          expected: error.expected,
          received: error.received,
        },
        { cause: error },
      );
    }
    throw error;
  }
}

/** `kind(a,b)` for tables. */
export function ensembleName(kind: string, members: readonly Estimator[]): string {
  return `${kind}(${[...new Set(members.map((m) => m.name))].join(',')})`;
}

const STOP_ORDER: readonly StopReason[] = ['error', 'budget', 'validation', 'converged'];

/**
 * An ensemble's stop reason from its members' fits: the first of `error`, `budget`, `validation`
 * that any member reports (a member cut short by its budget makes the ensemble's budget
 * binding), else `converged` (members without a reason, like kNN, have nothing left to train).
 */
export function membersStopReason(results: readonly FitResult[]): StopReason {
  const reasons = new Set(
    results.map((r) => {
      if (r.error) return 'error';
      const reported = (r as { stopReason?: unknown }).stopReason;
      return STOP_ORDER.includes(reported as StopReason) ? (reported as StopReason) : 'converged';
    }),
  );
  return STOP_ORDER.find((reason) => reasons.has(reason)) ?? 'converged';
}

/** What an ensemble's fit returns: one pass over its members, their stop reasons combined. */
export interface EnsembleFitResult extends FitResult {
  stopReason: StopReason;
}

/**
 * What every ensemble shares: the fitted members it owns (disposed with it or at the next fit),
 * and fitting a member with the fit's own abort signal.
 */
export abstract class EnsembleEstimator<P extends JsonObject> extends BaseEstimator<P> {
  protected members: Estimator[] = [];
  readonly #optionsType: string;

  /** `optionsType` names the ensemble's options in a member's errors, e.g. `BaggingOptions`. */
  protected constructor(params: P, optionsType: string) {
    super(params);
    this.#optionsType = optionsType;
  }

  /** Builds a member from the spec at `field` of the options (its errors name that field). */
  protected buildMember(spec: JsonObject, field: string): Estimator {
    return buildMember(spec, field, this.#optionsType);
  }

  /** The fit result of an ensemble that fits its members once. */
  protected onePassResult(
    started: number,
    memberResults: readonly FitResult[],
    backend: string | undefined,
  ): EnsembleFitResult {
    return {
      epochs: 1,
      history: [],
      stoppedEarly: false,
      stopReason: membersStopReason(memberResults),
      wallTimeMs: performance.now() - started,
      ...(backend ? { backend } : {}),
    };
  }

  /** Fits `member` on `data` with `rng` and the signal of the ensemble's fit. */
  protected fitMember(
    member: Estimator,
    data: LabeledData,
    rng: Rng,
    options: FitOptions,
  ): Promise<FitResult> {
    return member.fit(data, { rng, ...(options.signal ? { signal: options.signal } : {}) });
  }

  /** Disposes the members (and whatever else a subclass fitted, when it overrides this). */
  protected disposeMembers(): void {
    for (const member of this.members) member.dispose();
    this.members = [];
  }

  override dispose(): void {
    this.disposeMembers();
    super.dispose();
  }
}
