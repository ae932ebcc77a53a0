/**
 * "Raise a concern" (PRODUCT.md §1, §8): the concern form for staff who prefer a page to the chat, its
 * receipt, and "My concerns". A receipt's deep link (`raise:<reference>`) opens it with that concern
 * picked out. API: tab/api/routes/raise.ts.
 */
import { useCallback, useEffect, useState } from 'react';
import { MessageBar, MessageBarBody, Spinner, Text, Title3, makeStyles } from '@fluentui/react-components';
import type { RaiseFormView, RaiseResultView } from '../../api/view';
import { ConcernForm } from '../raise/ConcernForm';
import { MyConcerns } from '../raise/MyConcerns';
import { RaiseReceipt } from '../raise/RaiseReceipt';
import type { PageProps } from '../Shell';

const useStyles = makeStyles({
  page: { padding: '16px 20px', display: 'flex', flexDirection: 'column', gap: '16px', maxWidth: '1000px' },
});

export function RaisePage({ api, sub }: PageProps) {
  const styles = useStyles();
  const [form, setForm] = useState<RaiseFormView | undefined>();
  const [error, setError] = useState('');
  const [result, setResult] = useState<RaiseResultView | undefined>();
  // Each new form is a new component (and so a new form id); My concerns reloads after each send.
  const [round, setRound] = useState(0);

  useEffect(() => {
    api.raiseForm().then(setForm, (e: Error) => setError(e.message));
  }, [api]);
  const sent = useCallback((r: RaiseResultView) => {
    setResult(r);
    setRound((n) => n + 1);
  }, []);

  if (error) return <main className={styles.page}><MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar></main>;
  if (!form) return <main className={styles.page}><Spinner label="Loading the form…" /></main>;
  return (
    <main className={styles.page}>
      <Title3 as="h1">Raise a concern</Title3>
      <Text>{`Tell ${form.schoolName}'s Designated Safeguarding Lead about an online-safety concern. It takes under a minute; you can also do it in the chat with the bot, or with "Report as a concern" on any Teams message.`}</Text>
      {result ? <RaiseReceipt result={result} onAnother={() => setResult(undefined)} /> : <ConcernForm key={round} api={api} form={form} onSent={sent} />}
      <MyConcerns api={api} highlight={result?.outcome === 'stored' ? result.receipt.reference : sub} version={round} />
    </main>
  );
}
