import {
  Button,
  MessageBar,
  MessageBarBody,
  ProgressBar,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
} from '@fluentui/react-components';
import type { ImportProgress } from '../../api/view';
import type { TabApi } from '../api';
import { useCsvImport } from '../components/csvImport';

const useStyles = makeStyles({
  panel: { display: 'flex', flexDirection: 'column', gap: '8px', maxWidth: '900px' },
});

/**
 * CSV import (learners, parents, visitors from the MIS): every row is checked and reported first; the
 * good rows are imported only when the person confirms.
 */
export function ImportPanel(props: { api: TabApi; onImported: () => void }) {
  const styles = useStyles();
  const { check, progress, result, error, choose, start } = useCsvImport({
    check: (csv: string) => props.api.checkImport(csv),
    run: (csv: string, onLine: (p: ImportProgress) => void) => props.api.runImport(csv, onLine),
    meaning: (p: ImportProgress) => {
      if (p.stage === 'importing') return { progress: { done: p.done, of: p.of } };
      if (p.stage === 'done') return { result: `${p.imported} imported; ${p.refused} rows were not imported.` };
      if (p.stage === 'failed') return { error: p.error };
      return {};
    },
    onImported: props.onImported,
  });

  return (
    <section className={styles.panel} aria-label="Import people">
      <Text weight="semibold">Import people from a CSV file</Text>
      <Text size={200}>Columns: kind (learner, parent, visitor, staff), id (the MIS id), name (or forename and surname), year group, tags (separated by ;).</Text>
      <label htmlFor="import-file">CSV file</label>
      <input id="import-file" type="file" accept=".csv,text/csv" onChange={(e) => void choose(e.target.files?.[0])} />
      {error && <MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar>}
      {check?.fileProblem && <MessageBar intent="error"><MessageBarBody>{check.fileProblem}</MessageBarBody></MessageBar>}
      {check && !check.fileProblem && (
        <>
          <Text id="import-summary">{`${check.total} rows: ${check.good} ready to import, ${check.bad.length} with problems (not imported).`}</Text>
          {check.bad.length > 0 && (
            <Table aria-label="Rows with problems" size="small">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Row</TableHeaderCell>
                  <TableHeaderCell>Name</TableHeaderCell>
                  <TableHeaderCell>What is wrong</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {check.bad.slice(0, 500).map((b) => (
                  <TableRow key={b.row}>
                    <TableCell>{b.row}</TableCell>
                    <TableCell>{b.name}</TableCell>
                    <TableCell>{b.problems.join('; ')}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
          <Button appearance="primary" disabled={check.good === 0} onClick={() => void start(check.good)}>{`Import ${check.good} good rows`}</Button>
        </>
      )}
      {progress && !result && <ProgressBar value={progress.of ? progress.done / progress.of : 0} />}
      {result && <MessageBar intent="success"><MessageBarBody>{result}</MessageBarBody></MessageBar>}
    </section>
  );
}
