/** The metric filter evaluator the alarm tests rely on, checked on its own. */
import { FilterPattern } from 'aws-cdk-lib/aws-logs';
import { JsonFilterPattern } from '../support/filter-pattern';

const line = (value: unknown) => JSON.stringify(value);
const record = { timestamp: '2026-01-01T00:00:00.000Z', level: 'ERROR', requestId: 'r', message: { reason: 'jwks_unavailable', status: 401, alarm: true } };

describe('JsonFilterPattern', () => {
  test('a string comparison matches a nested string field exactly', () => {
    const p = new JsonFilterPattern('{ $.message.reason = "jwks_unavailable" }');
    expect(p.matches(line(record))).toBe(true);
    expect(p.matches(line({ ...record, message: { reason: 'jwks_unavailable_x' } }))).toBe(false);
    expect(p.matches(line({ ...record, message: 'jwks_unavailable' }))).toBe(false);
    // An escaped JSON string under message is a string, not an object: nothing inside it is selectable.
    expect(p.matches(line({ ...record, message: JSON.stringify({ reason: 'jwks_unavailable' }) }))).toBe(false);
  });

  test('a missing field or a line that is not a JSON object matches nothing', () => {
    const p = new JsonFilterPattern('{ $.message.reason = "x" }');
    expect(p.matches(line({ level: 'ERROR' }))).toBe(false);
    expect(p.matches('2026-01-01T00:00:00.000Z r ERROR reason x')).toBe(false);
    expect(p.matches('[1,2]')).toBe(false);
    expect(p.matches('')).toBe(false);
  });

  test('numbers compare as numbers, not as strings', () => {
    const p = new JsonFilterPattern('{ $.message.status = 401 }');
    expect(p.matches(line(record))).toBe(true);
    expect(p.matches(line({ message: { status: '401' } }))).toBe(false);
    expect(new JsonFilterPattern('{ $.message.status >= 400 }').matches(line(record))).toBe(true);
    expect(new JsonFilterPattern('{ $.message.status < 400 }').matches(line(record))).toBe(false);
  });

  test('&& binds tighter than ||, and parentheses group', () => {
    const a = line({ x: 'a' });
    expect(new JsonFilterPattern('{ $.x = "b" && $.y = "c" || $.x = "a" }').matches(a)).toBe(true);
    expect(new JsonFilterPattern('{ $.x = "b" && ($.y = "c" || $.x = "a") }').matches(a)).toBe(false);
    expect(new JsonFilterPattern('{ ($.x = "a") || ($.x = "b") }').matches(a)).toBe(true);
  });

  test('IS TRUE and IS FALSE match booleans only', () => {
    expect(new JsonFilterPattern('{ $.message.alarm IS TRUE }').matches(line(record))).toBe(true);
    expect(new JsonFilterPattern('{ $.message.alarm IS FALSE }').matches(line(record))).toBe(false);
    expect(new JsonFilterPattern('{ $.message.alarm IS TRUE }').matches(line({ message: { alarm: 'true' } }))).toBe(false);
  });

  test('reads the patterns CDK renders for FilterPattern.any, all, stringValue and numberValue', () => {
    const rendered = FilterPattern.all(
      FilterPattern.any(FilterPattern.stringValue('$.message.reason', '=', 'a'), FilterPattern.stringValue('$.message.reason', '=', 'jwks_unavailable')),
      FilterPattern.numberValue('$.message.status', '=', 401),
    ).logPatternString;
    expect(new JsonFilterPattern(rendered).matches(line(record))).toBe(true);
    expect(new JsonFilterPattern(rendered).matches(line({ message: { reason: 'a', status: 403 } }))).toBe(false);
  });

  test('counts the lines a metric filter would count', () => {
    const p = new JsonFilterPattern('{ $.level = "ERROR" }');
    expect(p.count([line(record), line({ level: 'WARN' }), 'not json', line(record)])).toBe(2);
  });

  test.each([
    '$.level = "ERROR"',
    '{ $.level = "ERR*" }',
    '{ $.level != "ERROR" }',
    '{ $.level = }',
    '{ $.level = "ERROR" && }',
    '{ ($.level = "ERROR" }',
    '{ $.level EXISTS }',
    '{ $.a[0] = 1 }',
  ])('refuses syntax outside what it can evaluate: %s', (pattern) => {
    expect(() => new JsonFilterPattern(pattern)).toThrow();
  });
});
