/**
 * "My records" (PRODUCT.md §4, §5: everyone sees their own): the Acceptable Use Policies the signed-in
 * person is asked to sign and what they have signed, and their training (training/MyTraining.tsx).
 * API: tab/api/routes/myRecords.ts.
 */
import { useCallback, useEffect, useState } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Link,
  MessageBar,
  MessageBarBody,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Title3,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { MyRecordsView } from '../../api/view';
import { formatDate, SignatureBadge } from '../components/SignatureBadge';
import type { PageProps } from '../Shell';
import { MyTraining } from '../training/MyTraining';

const useStyles = makeStyles({
  page: { padding: '16px 20px', display: 'flex', flexDirection: 'column', gap: '12px', maxWidth: '1000px' },
  table: { backgroundColor: tokens.colorNeutralBackground1 },
  text: { whiteSpace: 'pre-wrap', maxHeight: '60vh', overflowY: 'auto' },
});

type Reading = { title: string; version: number; text?: string; link?: string } | { error: string };

export function MyRecordsPage({ api }: PageProps) {
  const styles = useStyles();
  const [view, setView] = useState<MyRecordsView | undefined>();
  const [error, setError] = useState('');
  const [reading, setReading] = useState<Reading | undefined>();

  const load = useCallback(() => api.myRecords().then(setView, (e: Error) => setError(e.message)), [api]);
  useEffect(() => void load(), [load]);

  const read = async (documentId: string) => {
    try {
      setReading(await api.myDocument(documentId));
    } catch (e) {
      setReading({ error: (e as Error).message });
    }
  };

  if (error) return <main className={styles.page}><MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar></main>;
  if (!view) return <main className={styles.page}><Spinner label="Loading your records…" /></main>;
  const toSign = view.documents.filter((d) => d.cell.status !== 'current').length;
  return (
    <main className={styles.page}>
      <Title3 as="h1">My records</Title3>
      <Text as="h2" weight="semibold">Acceptable Use Policies</Text>
      {!view.inRegister && <Text>You are not in the school's register, so there is nothing for you to sign here.</Text>}
      {view.inRegister && view.documents.length === 0 && <Text>There is nothing for you to sign at the moment.</Text>}
      {toSign > 0 && <MessageBar intent="warning"><MessageBarBody>{`${toSign === 1 ? 'One policy needs' : `${toSign} policies need`} your signature.`}</MessageBarBody></MessageBar>}
      {view.documents.length > 0 && (
        <Table aria-label="Your Acceptable Use Policies" className={styles.table}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Document</TableHeaderCell>
              <TableHeaderCell>Status</TableHeaderCell>
              <TableHeaderCell>What to do</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {view.documents.map(({ document: d, cell }) => (
              <TableRow key={d.id} data-document={d.id}>
                <TableCell>
                  <Link onClick={() => void read(d.id)}>{`${d.title} (version ${d.version})`}</Link>
                </TableCell>
                <TableCell>
                  <SignatureBadge cell={cell} /> {cell.signedAt ? formatDate(cell.signedAt) : ''}
                </TableCell>
                <TableCell>
                  {cell.status === 'current' ? 'Nothing: thank you.' : d.signedInTeams ? 'Sign it from the card the bot sends you in chat.' : 'Please sign it with the school office.'}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <MyTraining api={api} training={view.training} onReported={() => void load()} />
      <Dialog open={!!reading} onOpenChange={(_e, data) => !data.open && setReading(undefined)}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>{reading && 'title' in reading ? `${reading.title} (version ${reading.version})` : 'The policy'}</DialogTitle>
            <DialogContent>
              {reading && 'error' in reading && <MessageBar intent="error"><MessageBarBody>{reading.error}</MessageBarBody></MessageBar>}
              {reading && 'title' in reading && reading.link && <Link href={reading.link} target="_blank" rel="noreferrer">Open the policy</Link>}
              {reading && 'title' in reading && reading.text && <div className={styles.text}>{reading.text}</div>}
            </DialogContent>
            <DialogActions>
              <Button onClick={() => setReading(undefined)}>Close</Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </main>
  );
}
