/**
 * The receipt on the page: the same words as the chat's receipt card (core/receipt.ts), or the plain
 * word that the concern is kept safely while the record cannot be reached.
 */
import { Button, MessageBar, MessageBarBody, MessageBarTitle, Table, TableBody, TableCell, TableRow, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { RaiseResultView } from '../../api/view';

const useStyles = makeStyles({
  box: { display: 'flex', flexDirection: 'column', gap: '10px', maxWidth: '640px', padding: '12px', backgroundColor: tokens.colorNeutralBackground1, borderRadius: tokens.borderRadiusMedium },
  facts: { maxWidth: '520px' },
});

export function RaiseReceipt(props: { result: RaiseResultView; onAnother: () => void }) {
  const styles = useStyles();
  const { result } = props;
  if (result.outcome === 'spooled') {
    return (
      <div className={styles.box} role="status">
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{result.title}</MessageBarTitle>
            {result.lines.map((l) => <div key={l}>{l}</div>)}
          </MessageBarBody>
        </MessageBar>
        <div><Button onClick={props.onAnother}>Raise another concern</Button></div>
      </div>
    );
  }
  const r = result.receipt;
  return (
    <div className={styles.box} role="status" aria-label="Receipt">
      {r.immediateDanger && <MessageBar intent="error"><MessageBarBody><MessageBarTitle>If you have not already: call 999 now.</MessageBarTitle></MessageBarBody></MessageBar>}
      <Text as="h2" size={500} weight="semibold">Concern sent</Text>
      {result.note && <Text weight="semibold">{result.note}</Text>}
      <Table size="small" className={styles.facts} aria-label="Your receipt">
        <TableBody>
          <TableRow><TableCell>Reference</TableCell><TableCell data-reference-value>{r.reference}</TableCell></TableRow>
          <TableRow><TableCell>Kind</TableCell><TableCell>{r.categoryTitle}</TableCell></TableRow>
          <TableRow><TableCell>Sent</TableCell><TableCell>{r.sentAt}</TableCell></TableRow>
          <TableRow><TableCell>Status</TableCell><TableCell>{r.status}</TableCell></TableRow>
        </TableBody>
      </Table>
      <Text>{r.toldWho}</Text>
      <Text size={200}>Keep the reference: it is also in your chat with the bot, and in My concerns below, which shows when it has been acknowledged. What you wrote is kept in the school's safeguarding record only.</Text>
      <div><Button onClick={props.onAnother}>Raise another concern</Button></div>
    </div>
  );
}
