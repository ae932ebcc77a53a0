/**
 * The tab's frame: who is signed in, a navigation bar of the pages their roles open to them
 * (core/tabPages.ts; the server refuses the rest), and the page shown. A new page is one file under
 * pages/ and one entry in PAGE_VIEWS.
 */
import { lazy, Suspense, useEffect, useState, type ComponentType } from 'react';
import { MessageBar, MessageBarBody, Spinner, Tab, TabList, Text, makeStyles, tokens } from '@fluentui/react-components';
import { PAGES, type TabPageId } from '../../core/tabPages';
import type { MeView } from '../api/view';
import type { TabApi } from './api';
import { pageToOpen, requestedPage, showInAddress, type PageRequest } from './navigation';
import { CasesPage } from './pages/CasesPage';
import { FilteringPage } from './pages/FilteringPage';
import { MyRecordsPage } from './pages/MyRecordsPage';
import { RaisePage } from './pages/RaisePage';
import { RegisterPage } from './pages/RegisterPage';
import { ReportPage } from './pages/ReportPage';
import { TrainingPage } from './pages/TrainingPage';

/** What every page is given. */
export interface PageProps {
  api: TabApi;
  me: MeView;
  /** What a deep link asked for on this page, if anything. */
  sub?: string;
  /** Moves to another place on this page (a case, a child's record); the address follows in local mode, so a reload keeps it. */
  show: (sub?: string) => void;
}

/** The charts' library is fetched only when the Trends page opens (tab/build.mjs splits it off). */
const TrendsPage = lazy(() => import('./pages/TrendsPage').then((m) => ({ default: m.TrendsPage })));

const PAGE_VIEWS: Record<TabPageId, ComponentType<PageProps>> = {
  cases: CasesPage,
  register: RegisterPage,
  training: TrainingPage,
  trends: TrendsPage,
  report: ReportPage,
  filtering: FilteringPage,
  records: MyRecordsPage,
  raise: RaisePage,
};

const useStyles = makeStyles({
  bar: { display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: '12px', flexWrap: 'wrap', padding: '4px 12px', backgroundColor: tokens.colorNeutralBackground1, borderBottom: `1px solid ${tokens.colorNeutralStroke2}` },
  centre: { padding: '24px' },
});

export function Shell(props: { api: TabApi; asked: PageRequest; localAddress?: boolean }) {
  const styles = useStyles();
  const [me, setMe] = useState<MeView | undefined>();
  const [error, setError] = useState('');
  const [page, setPage] = useState<TabPageId | undefined>();
  const [sub, setSub] = useState<string | undefined>(props.asked.sub);

  useEffect(() => {
    props.api.me().then(
      (m) => {
        setMe(m);
        const open = pageToOpen(props.asked, m.pages);
        setPage(open);
        if (open !== props.asked.page) setSub(undefined);
      },
      (e: Error) => setError(e.message),
    );
  }, [props.api, props.asked]);

  // Local mode: the browser's Back and Forward move between the places the address has held.
  useEffect(() => {
    if (!props.localAddress || !me) return;
    const moved = () => {
      const asked = requestedPage(undefined, window.location.search);
      const open = pageToOpen(asked, me.pages);
      setPage(open);
      setSub(open === asked.page ? asked.sub : undefined);
    };
    window.addEventListener('popstate', moved);
    return () => window.removeEventListener('popstate', moved);
  }, [props.localAddress, me]);

  const go = (next: TabPageId) => {
    setPage(next);
    setSub(undefined);
    if (props.localAddress) showInAddress(next);
  };
  const show = (next?: string) => {
    setSub(next);
    if (props.localAddress && page) showInAddress(page, next, 'push');
  };

  if (error) return <div className={styles.centre}><MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar></div>;
  if (!me || !page) return <div className={styles.centre}><Spinner label="Opening…" /></div>;
  const View = PAGE_VIEWS[page];
  return (
    <>
      <nav className={styles.bar} aria-label="Pages">
        <TabList selectedValue={page} onTabSelect={(_e, d) => go(d.value as TabPageId)}>
          {me.pages.map((p) => <Tab key={p} value={p}>{PAGES[p].title}</Tab>)}
        </TabList>
        <Text size={200}>{me.name}</Text>
      </nav>
      <Suspense fallback={<div className={styles.centre}><Spinner label="Opening…" /></div>}>
        <View api={props.api} me={me} sub={sub} show={show} key={page} />
      </Suspense>
    </>
  );
}
