/**
 * The closed records due for their retention review within 90 days (PRODUCT.md "retention that the
 * school sets": child-protection records are kept for decades). A list to review, nothing more: nothing
 * is deleted here, and the page says so.
 */
import { useEffect, useState } from 'react';
import { Link, MessageBar, MessageBarBody, Spinner, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { CaseListItem } from '../../api/view';
import type { TabApi } from '../api';
import { ProblemBar, problemOf, type Problem } from '../components/ProblemBar';
import { formatDay, learnersLine } from './format';

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: '12px' },
  table: { backgroundColor: tokens.colorNeutralBackground1 },
});

export function RetentionReview(props: { api: TabApi; open: (sub: string) => void }) {
  const styles = useStyles();
  const [due, setDue] = useState<{ until: string; cases: CaseListItem[] } | undefined>();
  const [problem, setProblem] = useState<Problem | undefined>();
  useEffect(() => {
    props.api.retention().then(setDue, (e: unknown) => setProblem(problemOf(e)));
  }, [props.api]);

  if (problem) return <ProblemBar problem={problem} />;
  if (!due) return <Spinner label="Loading the records due for review…" />;
  return (
    <section className={styles.section}>
      <MessageBar intent="info" id="retention-note">
        <MessageBarBody>{`Closed records whose retention review falls on or before ${formatDay(due.until)} (within 90 days). This list is for review only: nothing is deleted here.`}</MessageBarBody>
      </MessageBar>
      <Table aria-label="Records due for retention review" size="small" className={styles.table}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell>Review on</TableHeaderCell>
            <TableHeaderCell>Reference</TableHeaderCell>
            <TableHeaderCell>Category</TableHeaderCell>
            <TableHeaderCell>Learners</TableHeaderCell>
            <TableHeaderCell>Decision at closure</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {due.cases.length === 0 && (
            <TableRow>
              <TableCell colSpan={5}><Text id="retention-empty">No record is due for review in the next 90 days.</Text></TableCell>
            </TableRow>
          )}
          {due.cases.map((c) => (
            <TableRow key={c.reference} data-reference={c.reference}>
              <TableCell>{formatDay(c.retentionReviewOn)}</TableCell>
              <TableCell><Link onClick={() => props.open(c.reference)}>{c.reference}</Link></TableCell>
              <TableCell>{c.categoryTitle}</TableCell>
              <TableCell>{learnersLine(c.learners)}</TableCell>
              <TableCell>{c.closedDecision ?? ''}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </section>
  );
}
