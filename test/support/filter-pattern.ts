/**
 * Evaluates CloudWatch Logs JSON filter patterns against log lines, as a metric filter does: the
 * subset the construct emits, checked strictly. Anything outside that subset throws instead of
 * guessing, so a pattern the construct starts emitting cannot silently match nothing here.
 *
 * Supported (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html,
 * "Using filter patterns to match terms in JSON log events"): `{ <expression> }` where an
 * expression combines comparisons with `&&` and `||` (`&&` binds tighter) and parentheses; a
 * comparison is `$.a.b = "text"` (a string field, exactly; no `*` wildcards), `$.a.b = 401`
 * (a numeric field, also `!=`, `<`, `<=`, `>`, `>=`), or `$.a.b IS TRUE` / `IS FALSE`.
 * A line that is not a JSON object matches no JSON pattern; a missing field fails its comparison.
 */

type Node =
  | { readonly kind: 'and' | 'or'; readonly left: Node; readonly right: Node }
  | { readonly kind: 'compare'; readonly path: string[]; readonly op: string; readonly value: string | number }
  | { readonly kind: 'is'; readonly path: string[]; readonly value: boolean };

const TOKEN = /\s*(\(|\)|&&|\|\||!=|<=|>=|=|<|>|"(?:[^"\\]|\\.)*"|\$(?:\.[A-Za-z_][A-Za-z0-9_]*)+|-?\d+(?:\.\d+)?|IS|TRUE|FALSE)/y;

/** A compiled filter pattern: `matches(line)` says whether a metric filter would count the line. */
export class JsonFilterPattern {
  private readonly tree: Node;
  private tokens: string[] = [];
  private at = 0;

  constructor(public readonly pattern: string) {
    const body = /^\s*\{(.*)\}\s*$/s.exec(pattern);
    if (!body) throw new Error(`not a JSON filter pattern: ${pattern}`);
    this.tokens = tokenize(body[1], pattern);
    this.tree = this.expression();
    if (this.at !== this.tokens.length) throw new Error(`unexpected ${this.tokens[this.at]} in ${pattern}`);
  }

  public matches(line: string): boolean {
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch {
      return false;
    }
    if (typeof event !== 'object' || event === null || Array.isArray(event)) return false;
    return evaluate(this.tree, event);
  }

  /** How many of `lines` the pattern matches: what the metric filter adds up (metric value 1). */
  public count(lines: readonly string[]): number {
    return lines.filter((line) => this.matches(line)).length;
  }

  private expression(): Node {
    let left = this.conjunction();
    while (this.peek() === '||') {
      this.at++;
      left = { kind: 'or', left, right: this.conjunction() };
    }
    return left;
  }

  private conjunction(): Node {
    let left = this.term();
    while (this.peek() === '&&') {
      this.at++;
      left = { kind: 'and', left, right: this.term() };
    }
    return left;
  }

  private term(): Node {
    const token = this.next();
    if (token === '(') {
      const inner = this.expression();
      if (this.next() !== ')') throw new Error(`missing ) in ${this.pattern}`);
      return inner;
    }
    if (!token.startsWith('$.')) throw new Error(`expected a $.selector, got ${token} in ${this.pattern}`);
    const path = token.slice(2).split('.');
    const op = this.next();
    if (op === 'IS') {
      const value = this.next();
      if (value !== 'TRUE' && value !== 'FALSE') throw new Error(`unsupported IS ${value} in ${this.pattern}`);
      return { kind: 'is', path, value: value === 'TRUE' };
    }
    if (!['=', '!=', '<', '<=', '>', '>='].includes(op)) throw new Error(`unsupported operator ${op} in ${this.pattern}`);
    const raw = this.next();
    if (raw.startsWith('"')) {
      if (op !== '=') throw new Error(`unsupported string operator ${op} in ${this.pattern}`);
      const text = JSON.parse(raw) as string;
      if (text.includes('*')) throw new Error(`wildcards are not supported: ${raw} in ${this.pattern}`);
      return { kind: 'compare', path, op, value: text };
    }
    const number = Number(raw);
    if (!Number.isFinite(number)) throw new Error(`expected a value, got ${raw} in ${this.pattern}`);
    return { kind: 'compare', path, op, value: number };
  }

  private peek(): string | undefined {
    return this.tokens[this.at];
  }

  private next(): string {
    const token = this.tokens[this.at++];
    if (token === undefined) throw new Error(`pattern ends too early: ${this.pattern}`);
    return token;
  }
}

function tokenize(text: string, pattern: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const start = TOKEN.lastIndex;
    const match = TOKEN.exec(text);
    if (!match) throw new Error(`cannot read ${JSON.stringify(text.slice(start))} in ${pattern}`);
    tokens.push(match[1]);
  }
  return tokens;
}

function evaluate(node: Node, event: object): boolean {
  switch (node.kind) {
    case 'and': return evaluate(node.left, event) && evaluate(node.right, event);
    case 'or': return evaluate(node.left, event) || evaluate(node.right, event);
    case 'is': return select(event, node.path) === node.value;
    case 'compare': {
      const field = select(event, node.path);
      if (typeof node.value === 'string') return field === node.value;
      if (typeof field !== 'number') return false;
      switch (node.op) {
        case '=': return field === node.value;
        case '!=': return field !== node.value;
        case '<': return field < node.value;
        case '<=': return field <= node.value;
        case '>': return field > node.value;
        default: return field >= node.value;
      }
    }
  }
}

function select(event: object, path: readonly string[]): unknown {
  let value: unknown = event;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/**
 * The value a metric filter dimension `$.a.b` takes from `line`, as the metric filter publishes it,
 * or `undefined` when the line is not a JSON object or lacks the field.
 */
export function dimensionValue(line: string, selector: string): unknown {
  if (!/^\$(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(selector)) throw new Error(`not a JSON dimension selector: ${selector}`);
  let event: unknown;
  try {
    event = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof event !== 'object' || event === null) return undefined;
  return select(event, selector.slice(2).split('.'));
}
