/**
 * The card template filler (delivery/cardTemplate.ts): plain paths are read directly, everything else
 * by adaptive-expressions; both must give what the Adaptive Card templating language gives.
 */
import { Expression } from 'adaptive-expressions';
import { compileTemplate } from '../../delivery/cardTemplate';

const fill = (template: object, data: object) => compileTemplate(template).fill(data);

describe('card templates', () => {
  it('fills plain paths, nested paths, $root and $data, and keeps the value\'s type when a binding is the whole string', () => {
    const data = { reference: 'SMP-2026-0001', count: 3, urgent: true, case: { category: { title: 'Cyberbullying' } }, people: [{ name: 'Ann' }, { name: 'Ben' }] };
    expect(fill({ a: '${reference}', b: 'Case ${reference} (${case.category.title})', c: '${count}', d: '${urgent}' }, data)).toEqual({ a: 'SMP-2026-0001', b: 'Case SMP-2026-0001 (Cyberbullying)', c: 3, d: true });
    expect(fill({ items: [{ $data: '${people}', text: '${name} of ${$root.reference}', self: '${$data.name}' }] }, data)).toEqual({
      items: [
        { text: 'Ann of SMP-2026-0001', self: 'Ann' },
        { text: 'Ben of SMP-2026-0001', self: 'Ben' },
      ],
    });
  });

  it('a missing path is empty, a null one too; names matched case-insensitively and real expressions go to adaptive-expressions', () => {
    const data = { title: 'T', nothing: null, n: 2, list: ['x', 'y'] };
    expect(fill({ a: '${missing}', b: '${missing.deeper}', c: '${nothing}', d: 'x${nothing}y' }, data)).toEqual({ a: '', b: '', c: '', d: 'xy' });
    expect(fill({ a: '${TITLE}' }, data)).toEqual({ a: Expression.parse('TITLE').tryEvaluate(data).value });
    expect(fill({ a: '${n + 1}', b: "${join(list, ', ')}", c: '${count(list)}' }, data)).toEqual({ a: 3, b: 'x, y', c: 2 });
  });

  it('$when drops an element whose condition is false, empty or missing, by a path or an expression', () => {
    const data = { yes: true, no: false, empty: '', n: 0, list: [1] };
    const t = { body: [{ $when: '${yes}', id: 'yes' }, { $when: '${no}', id: 'no' }, { $when: '${empty}', id: 'empty' }, { $when: '${absent}', id: 'absent' }, { $when: '${count(list) > 0}', id: 'expr' }, { $when: '${n == 0}', id: 'zero' }] };
    expect((fill(t, data).body as { id: string }[]).map((b) => b.id)).toEqual(['yes', 'expr', 'zero']);
  });
});
