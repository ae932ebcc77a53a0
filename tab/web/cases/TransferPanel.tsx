/**
 * The child-protection file transfer (PRODUCT.md §6; KCSIE: within 5 school days of the child leaving,
 * separately from the main pupil file, securely, with a receipt): the child's whole record as a PDF,
 * the transfer recorded (where, how, when), then its receipt. A transfer still without a receipt after
 * 5 school days is flagged. The server audits each step.
 */
import { useState } from 'react';
import { Badge, Button, Field, Input, MessageBar, MessageBarBody, Select, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, makeStyles, tokens, useRestoreFocusTarget } from '@fluentui/react-components';
import type { ChildChronologyView, TransferView } from '../../api/view';
import type { TabApi } from '../api';
import { ProblemBar, problemOf, type Problem } from '../components/ProblemBar';
import { saveFile } from '../components/download';
import { ChangeDialog, useFields } from './ChangeDialog';
import { formatDay } from './format';

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: '8px' },
  toolbar: { display: 'flex', flexWrap: 'wrap', gap: '8px' },
  table: { backgroundColor: tokens.colorNeutralBackground1 },
});

export function TransferPanel(props: { api: TabApi; view: ChildChronologyView; onChanged: () => Promise<void> }) {
  const styles = useStyles();
  const { api, view } = props;
  const { learner } = view;
  const [preparing, setPreparing] = useState(false);
  const [receiptFor, setReceiptFor] = useState<TransferView | undefined>();
  const [problem, setProblem] = useState<Problem | undefined>();
  const [notice, setNotice] = useState('');
  const restoreFocus = useRestoreFocusTarget();
  const [sent, setSent] = useFields(preparing, { destinationSchool: '', destinationContact: '', method: view.methods[0] ?? '', sentOn: '' });
  const [receipt, setReceipt] = useFields(!!receiptFor, { receivedOn: '', confirmedBy: '' });

  const download = async (transfer?: TransferView) => {
    setProblem(undefined);
    setNotice('');
    try {
      const blob = await api.childRecordPdf(learner.id, transfer?.id);
      saveFile(blob, `child-protection-record-${learner.id.replace(/[^A-Za-z0-9-]/g, '')}.pdf`);
    } catch (e) {
      setProblem(problemOf(e));
    }
  };
  const recordTransfer = async () => {
    const done = await api.recordTransfer(learner.id, { ...sent, destinationContact: sent.destinationContact.trim() || undefined });
    setPreparing(false);
    setNotice(`The transfer to ${done.destinationSchool} is recorded. Its receipt is due by ${formatDay(done.receiptDueOn)} (5 school days): record it here when the school confirms.`);
    await props.onChanged();
  };
  const recordReceipt = async () => {
    if (!receiptFor) return;
    const done = await api.recordReceipt(learner.id, receiptFor.id, receipt);
    setReceiptFor(undefined);
    setNotice(`The receipt from ${done.destinationSchool} is recorded.`);
    await props.onChanged();
  };

  return (
    <section className={styles.section} aria-labelledby="h-transfers">
      <Text as="h2" weight="semibold" id="h-transfers">Child-protection file transfers</Text>
      <Text>When the child leaves, send their child-protection file to the new school within 5 school days, separately from the main pupil file and securely, then record the receipt.</Text>
      <div className={styles.toolbar}>
        <Button onClick={() => void download()}>Download the child's record (PDF)</Button>
        <Button {...restoreFocus} onClick={() => setPreparing(true)}>Prepare transfer</Button>
      </div>
      {notice && <MessageBar intent="success" id="transfer-notice"><MessageBarBody>{notice}</MessageBarBody></MessageBar>}
      {problem && <ProblemBar problem={problem} />}
      {view.transfers.length === 0 ? (
        <Text>No transfer is recorded.</Text>
      ) : (
        <Table aria-label={`Transfers of ${learner.name}'s file`} size="small" className={styles.table}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Sent to</TableHeaderCell>
              <TableHeaderCell>How</TableHeaderCell>
              <TableHeaderCell>Sent on</TableHeaderCell>
              <TableHeaderCell>Receipt due</TableHeaderCell>
              <TableHeaderCell>Receipt</TableHeaderCell>
              <TableHeaderCell>The record</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {view.transfers.map((t) => (
              <TableRow key={t.id} data-transfer={t.id}>
                <TableCell>{`${t.destinationSchool}${t.destinationContact ? ` (${t.destinationContact})` : ''}`}</TableCell>
                <TableCell>{t.method}</TableCell>
                <TableCell>{`${formatDay(t.sentOn)}, by ${t.sentByName}`}</TableCell>
                <TableCell>{formatDay(t.receiptDueOn)}</TableCell>
                <TableCell>
                  {t.receipt ? (
                    `Received ${formatDay(t.receipt.receivedOn)}, confirmed by ${t.receipt.confirmedBy} (recorded by ${t.receipt.recordedByName})`
                  ) : (
                    <>
                      {t.overdue && <Badge color="danger" data-flag="overdueReceipt">Overdue: no receipt after 5 school days</Badge>}{' '}
                      <Button size="small" {...restoreFocus} onClick={() => setReceiptFor(t)}>Record receipt</Button>
                    </>
                  )}
                </TableCell>
                <TableCell>
                  <Button size="small" aria-label={`Download the child's record for ${t.destinationSchool} (PDF)`} onClick={() => void download(t)}>PDF with this transfer</Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}

      <ChangeDialog open={preparing} title={`Transfer ${learner.name}'s child-protection file`} action="Record the transfer" onClose={() => setPreparing(false)} submit={recordTransfer}>
        <Field label="Destination school" required>
          <Input value={sent.destinationSchool} onChange={(_e, d) => setSent({ destinationSchool: d.value })} maxLength={200} />
        </Field>
        <Field label="Contact there (their DSL)">
          <Input value={sent.destinationContact} onChange={(_e, d) => setSent({ destinationContact: d.value })} maxLength={200} />
        </Field>
        <Field label="Method" required>
          <Select value={sent.method} onChange={(_e, d) => setSent({ method: d.value })}>
            {view.methods.map((m) => <option key={m} value={m}>{m}</option>)}
          </Select>
        </Field>
        <Field label="Date sent" required>
          <Input type="date" value={sent.sentOn} onChange={(_e, d) => setSent({ sentOn: d.value })} />
        </Field>
      </ChangeDialog>

      <ChangeDialog open={!!receiptFor} title={`Receipt from ${receiptFor?.destinationSchool ?? 'the school'}`} action="Record the receipt" onClose={() => setReceiptFor(undefined)} submit={recordReceipt}>
        <Field label="Received on" required>
          <Input type="date" value={receipt.receivedOn} min={receiptFor?.sentOn} onChange={(_e, d) => setReceipt({ receivedOn: d.value })} />
        </Field>
        <Field label="Confirmed by" required hint="Who at the school confirmed it arrived.">
          <Input value={receipt.confirmedBy} onChange={(_e, d) => setReceipt({ confirmedBy: d.value })} maxLength={200} />
        </Field>
      </ChangeDialog>
    </section>
  );
}
