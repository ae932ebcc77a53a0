/** The Adaptive Cards 1.5 schema check of the adaptivecards library: no events allowed. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AC = require('adaptivecards');

/**
 * Teams' dynamic typeahead (`choices.data` with a `Data.Query`, learn.microsoft.com "Typeahead search in
 * Adaptive Cards") works in Teams' 1.5 cards; the library knows the property only from 1.6 and still
 * asks for a static choice. Such a choice set is checked here for its Data.Query's shape, then
 * validated as the library sees it with one stand-in choice; everything else is validated as it is.
 */
function withTypeaheadChecked(card: unknown, problems: string[]): unknown {
  const walk = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(walk);
    if (!x || typeof x !== 'object') return x;
    const o = Object.fromEntries(Object.entries(x as Record<string, unknown>).map(([k, v]) => [k, walk(v)]));
    if (o.type === 'Input.ChoiceSet' && 'choices.data' in o) {
      const q = o['choices.data'] as { type?: unknown; dataset?: unknown } | undefined;
      if (q?.type !== 'Data.Query' || typeof q.dataset !== 'string' || !q.dataset) problems.push(`${String(o.id)}: choices.data must be a Data.Query with a dataset`);
      delete o['choices.data'];
      if (!Array.isArray(o.choices) || o.choices.length === 0) o.choices = [{ title: 'stand-in', value: 'stand-in' }];
    }
    return o;
  };
  return walk(card);
}

export function cardProblems(card: unknown): string[] {
  const problems: string[] = [];
  const ctx = new AC.SerializationContext(AC.Versions.v1_5);
  const parsed = new AC.AdaptiveCard();
  parsed.parse(withTypeaheadChecked(card, problems), ctx);
  for (let i = 0; i < ctx.eventCount; i++) problems.push(ctx.getEventAt(i).message);
  for (const e of parsed.validateProperties().validationEvents) problems.push(e.message);
  if ((card as { version?: string }).version !== '1.5') problems.push('card version is not 1.5');
  return problems;
}

/** Every action's data in a card, depth first (to find the form id, the reference...). */
export function actionsOf(card: any): { verb?: string; title?: string; data?: Record<string, unknown> }[] {
  return (card?.actions ?? []) as { verb?: string; title?: string; data?: Record<string, unknown> }[];
}

export function textOf(card: unknown): string {
  const out: string[] = [];
  const walk = (x: unknown) => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      if (typeof o.text === 'string') out.push(o.text);
      if (typeof o.title === 'string' && typeof o.value === 'string') out.push(`${o.title}: ${o.value}`);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out.join('\n');
}
