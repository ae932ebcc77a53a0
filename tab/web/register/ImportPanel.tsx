import { useState } from 'react';
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
import type { ImportCheckView } from '../../api/view';
import type { TabApi } from '../api';

const useStyles = makeStyles({
  panel: { display: 'flex', flexDirection: 'column', gap: '8px', maxWidth: '900px' },
});

/**
 * CSV import (learners, parents, visitors from the MIS): every row is checked and reported first; the
 * good rows are imported only when the person confirms.
 */
export function ImportPanel(props: { api: TabApi; onImported: () => void }) {
  const styles = useStyles();
  const [csv, setCsv] = useState('');
  const [check, setCheck] = useState<ImportCheckView | undefined>();
  const [progress, setProgress] = useState<{ done: number; of: number } | undefined>();
  const [result, setResult] = useState('');
  const [error, setError] = useState('');

  const choose = async (file: File | undefined) => {
    setCheck(undefined);
    setResult('');
    setError('');
    if (!file) return;
    const text = await file.text();
    setCsv(text);
    try {
      setCheck(await props.api.checkImport(text));
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const run = async () => {
    setProgress({ done: 0, of: check?.good ?? 0 });
    try {
      await props.api.runImport(csv, (p) => {
        if (p.stage === 'importing') setProgress({ done: p.done, of: p.of });
        if (p.stage === 'done') setResult(`${p.imported} imported; ${p.refused} rows were not imported.`);
        if (p.stage === 'failed') setError(p.error);
      });
      props.onImported();
    } catch (e) {
      setError((e as Error).message);
    }
    setCheck(undefined);
  };

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
          <Button appearance="primary" disabled={check.good === 0} onClick={() => void run()}>{`Import ${check.good} good rows`}</Button>
        </>
      )}
      {progress && !result && <ProgressBar value={progress.of ? progress.done / progress.of : 0} />}
      {result && <MessageBar intent="success"><MessageBarBody>{result}</MessageBarBody></MessageBar>}
    </section>
  );
}
