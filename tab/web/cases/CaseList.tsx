/**
 * The case list (PRODUCT.md §6): the cases routing lets this person read, filtered and a page at a
 * time, with the counts over all of them and the child-protection files still waiting for a receipt.
 * The server filters (tab/api/caseView.ts): the page never holds cases it does not show.
 */
import { useEffect, useState } from 'react';
import {
  Button,
  Link,
  MessageBar,
  MessageBarBody,
  Select,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { CaseListQuery, CaseListView } from '../../api/view';
import type { TabApi } from '../api';
import { ProblemBar, problemOf, type Problem } from '../components/ProblemBar';
import { CaseFilters } from './CaseFilters';
import { CaseFlags, StatusBadge } from './CaseFlags';
import { formatDay, formatTime, learnersLine } from './format';

export const PAGE_SIZES = [10, 25, 50, 100];

const useStyles = makeStyles({
  list: { display: 'flex', flexDirection: 'column', gap: '12px' },
  counts: { display: 'flex', flexWrap: 'wrap', gap: '16px' },
  table: { backgroundColor: tokens.colorNeutralBackground1 },
  paging: { display: 'flex', flexWrap: 'wrap', gap: '12px', alignItems: 'center' },
});

export interface CaseListProps {
  api: TabApi;
  query: CaseListQuery;
  onQuery: (q: CaseListQuery) => void;
  /** A view of one category (the Headteacher's low-level concerns log): its filter is fixed. */
  fixedCategory?: string;
  /** What the table is called (for screen readers). */
  label: string;
  open: (sub: string) => void;
}

export function CaseList({ api, query, onQuery, fixedCategory, label, open }: CaseListProps) {
  const styles = useStyles();
  const [view, setView] = useState<CaseListView | undefined>();
  const [problem, setProblem] = useState<Problem | undefined>();
  const [refreshed, setRefreshed] = useState(0);
  // The list shown stays until the next answer comes: the table says it is being updated meanwhile.
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    // Only the latest answer is shown; a search waits for a pause in the typing.
    let live = true;
    setLoading(true);
    const t = setTimeout(() => {
      api.cases({ ...query, ...(fixedCategory ? { category: fixedCategory } : {}) }).then(
        (v) => {
          if (!live) return;
          setView(v);
          setProblem(undefined);
          setLoading(false);
        },
        (e: unknown) => {
          if (!live) return;
          setProblem(problemOf(e));
          setLoading(false);
        },
      );
    }, query.q ? 250 : 0);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [api, query, fixedCategory, refreshed]);

  if (!view) return problem ? <ProblemBar problem={problem} /> : <Spinner label="Loading the cases…" />;
  const { counts, matched, offset, limit } = view;
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  return (
    <section className={styles.list}>
      {!fixedCategory && view.overdueTransfers.map((t) => (
        <MessageBar key={`${t.learnerId}-${t.sentOn}-${t.destinationSchool}`} intent="warning" data-overdue-transfer={t.learnerId}>
          <MessageBarBody>
            {`No receipt yet: ${t.learnerName}'s child-protection file, sent to ${t.destinationSchool} on ${formatDay(t.sentOn)}, was due to be confirmed by ${formatDay(t.receiptDueOn)} (5 school days). `}
            <Link onClick={() => open(`learner:${t.learnerId}`)}>{`Open ${t.learnerName}'s record`}</Link>
          </MessageBarBody>
        </MessageBar>
      ))}
      <CaseFilters view={view} query={query} onQuery={onQuery} fixedCategory={fixedCategory} />
      {problem && <ProblemBar problem={problem} />}
      {!fixedCategory && <div className={styles.counts} id="case-counts" aria-live="polite">
        <Text weight="semibold">{`Of the ${plural(counts.all, 'case', 'cases')} you may read:`}</Text>
        <Text data-count="open">{`${counts.open} open`}</Text>
        <Text data-count="acknowledged">{`${counts.acknowledged} acknowledged`}</Text>
        <Text data-count="closed">{`${counts.closed} closed`}</Text>
        <Text data-count="overdueNextSteps">{plural(counts.overdueNextSteps, 'overdue next step', 'overdue next steps')}</Text>
        <Text data-count="overdueAcknowledgements">{plural(counts.overdueAcknowledgements, 'not acknowledged in time', 'not acknowledged in time')}</Text>
      </div>}

      <Table aria-label={label} aria-busy={loading} size="small" className={styles.table}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell>Reference</TableHeaderCell>
            <TableHeaderCell>Raised</TableHeaderCell>
            <TableHeaderCell>Category</TableHeaderCell>
            <TableHeaderCell>Learners</TableHeaderCell>
            <TableHeaderCell>Phase</TableHeaderCell>
            <TableHeaderCell>Status</TableHeaderCell>
            <TableHeaderCell>With</TableHeaderCell>
            <TableHeaderCell>Next step</TableHeaderCell>
            <TableHeaderCell>Flags</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {view.cases.length === 0 && (
            <TableRow>
              <TableCell colSpan={9}>
                <Text id="cases-empty">{counts.all === 0 ? 'There are no cases for you to see.' : 'No case matches these filters.'}</Text>
              </TableCell>
            </TableRow>
          )}
          {view.cases.map((c) => (
            <TableRow key={c.reference} data-reference={c.reference}>
              <TableCell>
                <Link onClick={() => open(c.reference)}>{c.reference}</Link>
              </TableCell>
              <TableCell>{formatTime(c.createdAt)}</TableCell>
              <TableCell>{c.categoryTitle}</TableCell>
              <TableCell>{learnersLine(c.learners)}</TableCell>
              <TableCell>{c.phaseLabel}</TableCell>
              <TableCell>
                <StatusBadge status={c.status} />
                {c.closedDecision && <Text size={200} block>{c.closedDecision}</Text>}
              </TableCell>
              <TableCell>{c.holders.map((h) => h.name).join(', ')}</TableCell>
              <TableCell>{c.nextStep ? `${formatDay(c.nextStep.dueOn)}, ${c.nextStep.ownerName}` : ''}</TableCell>
              <TableCell>
                <CaseFlags c={c} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>

      <nav className={styles.paging} aria-label="Pages of cases">
        {loading && <Spinner size="extra-tiny" label="Updating…" />}
        <Text id="cases-shown">{matched ? `${offset + 1}–${offset + view.cases.length} of ${plural(matched, 'case', 'cases')}` : '0 of 0 cases'}</Text>
        <Button disabled={offset === 0} onClick={() => onQuery({ ...query, offset: Math.max(0, offset - limit) })}>Previous</Button>
        <Button disabled={offset + limit >= matched} onClick={() => onQuery({ ...query, offset: offset + limit })}>Next</Button>
        <label htmlFor="cases-per-page">Per page</label>
        <Select id="cases-per-page" value={String(limit)} onChange={(_e, d) => onQuery({ ...query, limit: Number(d.value), offset: 0 })}>
          {PAGE_SIZES.map((n) => <option key={n} value={n}>{n}</option>)}
        </Select>
        <Button appearance="subtle" onClick={() => setRefreshed((n) => n + 1)}>Refresh</Button>
      </nav>
    </section>
  );
}
