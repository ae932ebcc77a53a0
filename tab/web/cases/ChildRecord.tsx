/**
 * A child's chronology (PRODUCT.md §6, CPOMS' core view): every concern, action and referral about one
 * child across the cases this person may read, as one timeline; and, for those who may send it, the
 * child-protection file's transfers (TransferPanel). The server audits the read.
 */
import { useCallback, useEffect, useState } from 'react';
import { Button, Link, Spinner, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { ChildChronologyView } from '../../api/view';
import type { TabApi } from '../api';
import { ProblemBar, problemOf, type Problem } from '../components/ProblemBar';
import { ChronologyTable } from './ChronologyTable';
import { StatusBadge } from './CaseFlags';
import { formatDay, formatTime } from './format';
import { TransferPanel } from './TransferPanel';
import { useFocusOnOpen } from './useFocusOnOpen';

const useStyles = makeStyles({
  page: { padding: '16px 20px', display: 'flex', flexDirection: 'column', gap: '12px', maxWidth: '1100px' },
  section: { display: 'flex', flexDirection: 'column', gap: '6px' },
  heading: { outlineStyle: 'none' },
  back: { alignSelf: 'flex-start' },
  table: { backgroundColor: tokens.colorNeutralBackground1 },
});

export function ChildRecord(props: { api: TabApi; learnerId: string; open: (sub?: string) => void }) {
  const styles = useStyles();
  const { api, learnerId, open } = props;
  const [view, setView] = useState<ChildChronologyView | undefined>();
  const [problem, setProblem] = useState<Problem | undefined>();
  const heading = useFocusOnOpen<HTMLHeadingElement>(!!view);

  const load = useCallback(async () => {
    try {
      setView(await api.childChronology(learnerId));
      setProblem(undefined);
    } catch (e) {
      setProblem(problemOf(e));
    }
  }, [api, learnerId]);
  useEffect(() => void load(), [load]);

  const back = <Button appearance="subtle" className={styles.back} onClick={() => open(undefined)}>← Back to the list</Button>;
  if (!view) return <main className={styles.page}>{back}{problem ? <ProblemBar problem={problem} /> : <Spinner label="Opening the child's record…" />}</main>;
  const { learner } = view;
  return (
    <main className={styles.page}>
      {back}
      <Text as="h1" size={500} weight="semibold" ref={heading} tabIndex={-1} className={styles.heading}>{`${learner.name}: chronology`}</Text>
      <Text id="child-details">{[learner.yearGroup, learner.dateOfBirth && `born ${formatDay(learner.dateOfBirth)}`].filter(Boolean).join(' · ') || 'No year group or date of birth in the roster.'}</Text>
      {problem && <ProblemBar problem={problem} />}

      <section className={styles.section} aria-labelledby="h-child-cases">
        <Text as="h2" weight="semibold" id="h-child-cases">Cases</Text>
        {view.cases.length === 0 ? (
          <Text>{`There is no case about ${learner.name} that you may read.`}</Text>
        ) : (
          <Table aria-label={`Cases about ${learner.name}`} size="small" className={styles.table}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Reference</TableHeaderCell>
                <TableHeaderCell>Category</TableHeaderCell>
                <TableHeaderCell>Status</TableHeaderCell>
                <TableHeaderCell>Raised</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {view.cases.map((c) => (
                <TableRow key={c.reference} data-reference={c.reference}>
                  <TableCell><Link onClick={() => open(c.reference)}>{c.reference}</Link></TableCell>
                  <TableCell>{c.categoryTitle}</TableCell>
                  <TableCell><StatusBadge status={c.status} /></TableCell>
                  <TableCell>{formatTime(c.createdAt)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </section>

      <section className={styles.section} aria-labelledby="h-child-chronology">
        <Text as="h2" weight="semibold" id="h-child-chronology">Everything, in time order</Text>
        <ChronologyTable label={`Chronology of ${learner.name}`} entries={view.entries} openCase={open} />
      </section>

      {view.canTransfer ? (
        <TransferPanel api={api} view={view} onChanged={load} />
      ) : (
        <Text>The child-protection file is sent to another school by the child's phase DSL, a deputy DSL, the Online Safety Lead or the Headteacher.</Text>
      )}
    </main>
  );
}
