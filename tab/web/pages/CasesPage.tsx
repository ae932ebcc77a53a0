/**
 * The Cases page (PRODUCT.md §6): the case list of those routing lets read cases. API:
 * tab/api/routes/cases.ts.
 */
import { useEffect, useState } from 'react';
import { MessageBar, MessageBarBody, Spinner, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Title3, makeStyles, tokens } from '@fluentui/react-components';
import type { CaseListView } from '../../api/view';
import type { PageProps } from '../Shell';

const useStyles = makeStyles({
  page: { padding: '16px 20px', display: 'flex', flexDirection: 'column', gap: '12px' },
  table: { backgroundColor: tokens.colorNeutralBackground1 },
});

export function CasesPage({ api }: PageProps) {
  const styles = useStyles();
  const [view, setView] = useState<CaseListView | undefined>();
  const [error, setError] = useState('');
  useEffect(() => {
    api.cases().then(setView, (e: Error) => setError(e.message));
  }, [api]);
  if (error) return <main className={styles.page}><MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar></main>;
  if (!view) return <main className={styles.page}><Spinner label="Loading the cases…" /></main>;
  return (
    <main className={styles.page}>
      <Title3 as="h1">Cases</Title3>
      <Table aria-label="Cases" size="small" className={styles.table}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell>Reference</TableHeaderCell>
            <TableHeaderCell>Kind</TableHeaderCell>
            <TableHeaderCell>Status</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {view.cases.map((c) => (
            <TableRow key={c.reference} data-reference={c.reference}>
              <TableCell>{c.reference}</TableCell>
              <TableCell>{c.categoryTitle}</TableCell>
              <TableCell>{c.status}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </main>
  );
}
