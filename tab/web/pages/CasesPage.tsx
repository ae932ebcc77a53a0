/**
 * The Cases page (PRODUCT.md §6), the DSL's case workspace: the case list (and the Headteacher's
 * low-level concerns log, the same list on one category), the retention review, one case, one child's
 * chronology. Where the person is lives in `sub`, as a deep link gives it (`SMP-2026-0001`,
 * `learner:<id>`, `low-level`, `retention`), so the address follows and a reload keeps the place.
 * API: tab/api/routes/cases.ts; the parts are under ../cases/.
 */
import { useState } from 'react';
import { Tab, TabList, Text, Title3, makeStyles } from '@fluentui/react-components';
import type { CaseListQuery } from '../../api/view';
import { CaseList } from '../cases/CaseList';
import { CaseView } from '../cases/CaseView';
import { ChildRecord } from '../cases/ChildRecord';
import { RetentionReview } from '../cases/RetentionReview';
import type { PageProps } from '../Shell';

const LOW_LEVEL = 'lowLevelStaff';
const FIRST_PAGE: CaseListQuery = { limit: 25 };

const useStyles = makeStyles({
  page: { padding: '16px 20px', display: 'flex', flexDirection: 'column', gap: '12px' },
});

type ListView = 'all' | 'low-level' | 'retention';

export function CasesPage({ api, me, sub, show }: PageProps) {
  const styles = useStyles();
  // Kept here, not in the list, so that the filters are as they were when the person comes back from a case.
  const [query, setQuery] = useState<CaseListQuery>(FIRST_PAGE);
  const [lowLevelQuery, setLowLevelQuery] = useState<CaseListQuery>(FIRST_PAGE);
  // KCSIE Part 4: the low-level concerns log is the Headteacher's (the Chair's, for concerns about the Head).
  const keepsLowLevelLog = me.roles.includes('headteacher') || me.roles.includes('chairOfGovernors');

  if (sub?.startsWith('learner:')) return <ChildRecord api={api} learnerId={sub.slice('learner:'.length)} open={show} key={sub} />;
  // The log asked for by someone who does not keep it is the case list (the server would show them none of it).
  const listView: ListView | undefined = !sub ? 'all' : sub === 'retention' ? 'retention' : sub === 'low-level' ? (keepsLowLevelLog ? 'low-level' : 'all') : undefined;
  if (!listView) return <CaseView api={api} reference={sub!} open={show} key={sub} />;

  return (
    <main className={styles.page}>
      <Title3 as="h1">Cases</Title3>
      <TabList selectedValue={listView} onTabSelect={(_e, d) => show(d.value === 'all' ? undefined : String(d.value))} aria-label="Case views">
        <Tab value="all">Case list</Tab>
        {keepsLowLevelLog && <Tab value="low-level">Low-level concerns log</Tab>}
        <Tab value="retention">Retention review</Tab>
      </TabList>
      {listView === 'all' && <CaseList api={api} query={query} onQuery={setQuery} label="Cases" open={show} />}
      {listView === 'low-level' && (
        <>
          <Text>Low-level concerns about staff (KCSIE Part 4): seen by the Headteacher only, or by the Chair of Governors when about the Headteacher. Review them together for patterns.</Text>
          <CaseList api={api} query={lowLevelQuery} onQuery={setLowLevelQuery} fixedCategory={LOW_LEVEL} label="Low-level concerns log" open={show} />
        </>
      )}
      {listView === 'retention' && <RetentionReview api={api} open={show} />}
    </main>
  );
}
