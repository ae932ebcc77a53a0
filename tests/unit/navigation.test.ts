/**
 * The links cards carry (delivery/deepLinks.ts) open the place they name in the tab (tab/web/navigation.ts):
 * in Teams through the deep link's subEntityId, in local mode through the address.
 */
import { tabLink } from '../../delivery/deepLinks';
import { pageToOpen, readPageRequest, requestedPage } from '../../tab/web/navigation';

const inTeams = { teamsAppCatalogId: 'catalog-app-id', localMode: false, port: 3978 };
const local = { localMode: true, port: 3978 };
/** What Teams hands the tab for a deep link: the static tab's entityId and the link's subEntityId. */
const teamsContext = (link: string) => {
  const url = new URL(link);
  return { pageId: url.pathname.split('/')[4], subPageId: (JSON.parse(url.searchParams.get('context')!) as { subEntityId: string }).subEntityId };
};

describe('a link to a place in the tab', () => {
  it('the DSL\'s card opens its case, in Teams and in local mode', () => {
    expect(requestedPage(teamsContext(tabLink(inTeams, 'cases', 'SMP-2026-0042')), '')).toEqual({ page: 'cases', sub: 'SMP-2026-0042' });
    expect(requestedPage(undefined, new URL(tabLink(local, 'cases', 'SMP-2026-0042')).search)).toEqual({ page: 'cases', sub: 'SMP-2026-0042' });
  });

  it('the overdue-transfer card opens the child\'s record: what is after the first colon is kept whole', () => {
    expect(requestedPage(teamsContext(tabLink(inTeams, 'cases', 'learner:L-7f3a')), '')).toEqual({ page: 'cases', sub: 'learner:L-7f3a' });
    expect(requestedPage(undefined, new URL(tabLink(local, 'cases', 'learner:L-7f3a')).search)).toEqual({ page: 'cases', sub: 'learner:L-7f3a' });
  });

  it('a static tab opens its page; a deep link wins over the address', () => {
    expect(requestedPage({ pageId: 'cases' }, '?page=records')).toEqual({ page: 'cases', sub: undefined });
    expect(requestedPage({ pageId: 'records', subPageId: 'cases:SMP-2026-0001' }, '?page=records')).toEqual({ page: 'cases', sub: 'SMP-2026-0001' });
  });

  it('an unknown page asks for nothing, and a page the person may not see opens their first', () => {
    expect(readPageRequest('nowhere:SMP-2026-0001')).toEqual({});
    expect(pageToOpen({ page: 'cases', sub: 'SMP-2026-0001' }, ['records'])).toBe('records');
  });
});
