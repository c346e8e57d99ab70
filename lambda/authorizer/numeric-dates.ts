import { Refusal } from './refusal';

/** The JWT claims whose values are NumericDates (RFC 7519 section 2): seconds since the epoch. */
const NUMERIC_DATE_CLAIMS = ['exp', 'nbf', 'iat'] as const;

/**
 * Refuses a NumericDate claim that JSON parsed to a non-finite number: `1e999` is Infinity and
 * `-1e999` is -Infinity. jose (6.x) checks only that the value is a number, so `exp: 1e999` would
 * be a token that never expires and `nbf: -1e999` or any non-finite `iat` would pass unnoticed. A
 * NumericDate is a finite count of seconds (RFC 7519 section 2), so anything else is a broken
 * claim, not a clock question. Called with claims whose signature has been verified.
 */
export function checkNumericDates(claims: Readonly<Record<string, unknown>>, sub: string | undefined): void {
  for (const claim of NUMERIC_DATE_CLAIMS) {
    const value = claims[claim];
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new Refusal('invalid_claims', `"${claim}" claim must be a finite number, got ${value}`, sub);
    }
  }
}
