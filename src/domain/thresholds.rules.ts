import type { TThresholdClass } from './reference-data.ts';

export type TThresholdStatus = 'EXCEEDS' | 'STRADDLES' | 'BELOW';

export type TThresholdResult = {
  substanceClass: string;
  substance: string;
  statute: string;
  limitG: number;
  status: TThresholdStatus;
  weightG: number;
  uncertaintyG: number;
  basis: 'NET' | 'GROSS';
};

/**
 * 21 U.S.C. 841(b)(1): compare the weight ± its expanded uncertainty (k = 2) with the limit.
 * EXCEEDS when even the lower bound reaches it; BELOW when even the upper bound is under it.
 */
export function thresholdStatus(weightG: number, uncertaintyG: number, limitG: number): TThresholdStatus {
  if (weightG - uncertaintyG >= limitG) return 'EXCEEDS';
  if (weightG + uncertaintyG < limitG) return 'BELOW';
  return 'STRADDLES';
}

export function evaluateThresholds(
  cls: TThresholdClass,
  substance: string,
  weight: { weightG: number; uncertaintyG: number; basis: 'NET' | 'GROSS' },
): TThresholdResult[] {
  return cls.limits.map((l) => ({
    substanceClass: cls.class,
    substance,
    statute: l.statute,
    limitG: l.limitG,
    status: thresholdStatus(weight.weightG, weight.uncertaintyG, l.limitG),
    ...weight,
  }));
}
