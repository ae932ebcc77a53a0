/** The Adaptive Cards 1.5 schema check of the adaptivecards library: no events allowed. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AC = require('adaptivecards');

export function cardProblems(card: unknown): string[] {
  const ctx = new AC.SerializationContext(AC.Versions.v1_5);
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, ctx);
  const problems: string[] = [];
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
