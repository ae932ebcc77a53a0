/**
 * Adaptive Card templates (`${...}` bindings, `$when`, `$data`) compiled once and filled many times.
 * Expressions are the Adaptive Expressions language (adaptive-expressions), parsed when the template
 * is first loaded rather than on every card: a DSL's card is drawn in microseconds, not milliseconds.
 */
import { Expression } from 'adaptive-expressions';

type Scope = Record<string, unknown>;
type Render = (scope: Scope) => unknown;
const OMIT = Symbol('omit');

const BINDING = /\$\{([^}]*)\}/g;

function parse(text: string): Expression {
  // `$root` and `$data` are the template language's names; adaptive-expressions keeps `$` for itself.
  return Expression.parse(text.replace(/\$root\b/g, '__root').replace(/\$data\b/g, '__data'));
}

function evaluate(expr: Expression, scope: Scope): unknown {
  const { value, error } = expr.tryEvaluate(scope);
  return error ? undefined : value;
}

const PATH = /^\s*(\$root|\$data|[A-Za-z_][A-Za-z0-9_]*)(\.[A-Za-z_][A-Za-z0-9_]*)*\s*$/;

/**
 * An expression: most bindings are a plain path (`reference`, `$root.case.category`), read directly;
 * anything else, or a path that does not resolve exactly (the expression language also matches
 * names case-insensitively), is evaluated by adaptive-expressions.
 */
function compileExpression(text: string): (scope: Scope) => unknown {
  const expr = parse(text);
  if (!PATH.test(text)) return (scope) => evaluate(expr, scope);
  const steps = text.trim().replace(/^\$root\b/, '__root').replace(/^\$data\b/, '__data').split('.');
  return (scope) => {
    let v: unknown = scope;
    for (const step of steps) {
      if (v === null || typeof v !== 'object' || Array.isArray(v) || !Object.prototype.hasOwnProperty.call(v, step)) return evaluate(expr, scope);
      v = (v as Scope)[step];
    }
    return v === null ? evaluate(expr, scope) : v;
  };
}

function compileString(s: string): Render {
  const whole = s.match(/^\$\{([^}]*)\}$/);
  if (whole) {
    const value = compileExpression(whole[1]);
    return (scope) => value(scope) ?? '';
  }
  if (!s.includes('${')) return () => s;
  const parts: (string | ((scope: Scope) => unknown))[] = [];
  let last = 0;
  for (const m of s.matchAll(BINDING)) {
    parts.push(s.slice(last, m.index), compileExpression(m[1]));
    last = m.index! + m[0].length;
  }
  parts.push(s.slice(last));
  return (scope) => parts.map((p) => (typeof p === 'string' ? p : String(p(scope) ?? ''))).join('');
}

function scopeFor(item: unknown, parent: Scope): Scope {
  const fields = item && typeof item === 'object' && !Array.isArray(item) ? (item as Scope) : {};
  return { ...fields, __data: item, __root: parent.__root };
}

function compile(node: unknown): Render {
  if (typeof node === 'string') return compileString(node);
  if (Array.isArray(node)) {
    const items = node.map((child) => {
      const data = child && typeof child === 'object' && !Array.isArray(child) ? (child as Scope).$data : undefined;
      if (typeof data !== 'string') return { repeat: undefined, render: compile(child) };
      const { $data: _drop, ...rest } = child as Scope;
      return { repeat: compileString(data), render: compile(rest) };
    });
    return (scope) =>
      items.flatMap(({ repeat, render }) => {
        if (!repeat) {
          const v = render(scope);
          return v === OMIT ? [] : [v];
        }
        const data = repeat(scope);
        const list = Array.isArray(data) ? data : data === '' || data === undefined ? [] : [data];
        return list.map((item) => render(scopeFor(item, scope))).filter((v) => v !== OMIT);
      });
  }
  if (node && typeof node === 'object') {
    const { $when, ...rest } = node as Scope;
    const when = typeof $when === 'string' ? compileString($when) : undefined;
    const fields = Object.entries(rest).map(([k, v]) => [k, compile(v)] as const);
    return (scope) => {
      if (when && !when(scope)) return OMIT;
      const out: Scope = {};
      for (const [k, render] of fields) {
        const v = render(scope);
        if (v !== OMIT) out[k] = v;
      }
      return out;
    };
  }
  return () => node;
}

export interface CardTemplate<T extends object> {
  fill(data: T): Record<string, unknown>;
}

export function compileTemplate<T extends object>(template: object): CardTemplate<T> {
  const render = compile(template);
  return { fill: (data) => render({ ...(data as Scope), __root: data }) as Record<string, unknown> };
}
