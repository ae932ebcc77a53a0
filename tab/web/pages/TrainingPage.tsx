/**
 * The Training page (PRODUCT.md §5; policy §5.3): the whole-staff matrix of people × courses. API:
 * tab/api/routes/training.ts.
 */
import { useEffect, useState } from 'react';
import { MessageBar, MessageBarBody, Spinner, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Title3, makeStyles, tokens } from '@fluentui/react-components';
import { TRAINING_STATUS_TITLES } from '../../../core/training';
import type { TrainingMatrixView } from '../../api/view';
import type { PageProps } from '../Shell';

const useStyles = makeStyles({
  page: { padding: '16px 20px', display: 'flex', flexDirection: 'column', gap: '12px' },
  table: { backgroundColor: tokens.colorNeutralBackground1 },
});

export function TrainingPage({ api }: PageProps) {
  const styles = useStyles();
  const [view, setView] = useState<TrainingMatrixView | undefined>();
  const [error, setError] = useState('');
  useEffect(() => {
    api.training().then(setView, (e: Error) => setError(e.message));
  }, [api]);
  if (error) return <main className={styles.page}><MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar></main>;
  if (!view) return <main className={styles.page}><Spinner label="Loading the training records…" /></main>;
  return (
    <main className={styles.page}>
      <Title3 as="h1">Training records</Title3>
      <Table aria-label="Training matrix" size="small" className={styles.table}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell>Name</TableHeaderCell>
            {view.courses.map((c) => <TableHeaderCell key={c.id}>{c.title}</TableHeaderCell>)}
          </TableRow>
        </TableHeader>
        <TableBody>
          {view.rows.map((r) => (
            <TableRow key={r.person.id} data-person={r.person.id}>
              <TableCell>{r.person.name}</TableCell>
              {r.cells.map((c, i) => <TableCell key={view.courses[i].id} data-course={view.courses[i].id}>{TRAINING_STATUS_TITLES[c.status]}</TableCell>)}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </main>
  );
}
