/**
 * "My concerns": the concerns the signed-in person raised, from any surface (chat, a reported message,
 * this page), with what their receipt says: reference, date, kind, acknowledged or not. Never the DSL's
 * actions (PRODUCT.md §1). A deep link from a receipt names the concern to pick out.
 */
import { useCallback, useEffect, useState } from 'react';
import { Badge, Button, MessageBar, MessageBarBody, Spinner, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { MyConcernsView } from '../../api/view';
import type { TabApi } from '../api';

const useStyles = makeStyles({
  table: { backgroundColor: tokens.colorNeutralBackground1 },
  picked: { backgroundColor: tokens.colorBrandBackground2 },
  head: { display: 'flex', alignItems: 'center', gap: '12px' },
});

const when = (iso: string) => new Date(iso).toLocaleString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });

export function MyConcerns(props: { api: TabApi; highlight?: string; version: number }) {
  const styles = useStyles();
  const [view, setView] = useState<MyConcernsView | undefined>();
  const [error, setError] = useState('');
  const load = useCallback(() => props.api.myConcerns().then((v) => (setView(v), setError('')), (e: Error) => setError(e.message)), [props.api]);
  useEffect(() => void load(), [load, props.version]);

  useEffect(() => {
    if (view && props.highlight) document.querySelector(`[data-reference="${CSS.escape(props.highlight)}"]`)?.scrollIntoView({ block: 'center' });
  }, [view, props.highlight]);

  return (
    <section aria-labelledby="my-concerns" id="my-concerns-section">
      <div className={styles.head}>
        <Text as="h2" id="my-concerns" weight="semibold" size={500}>My concerns</Text>
        <Button size="small" onClick={() => void load()}>Refresh</Button>
      </div>
      {error && <MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar>}
      {!view && !error && <Spinner size="tiny" label="Loading your concerns…" />}
      {view && view.concerns.length === 0 && <Text>You have not raised a concern yet.</Text>}
      {view && view.concerns.length > 0 && (
        <Table aria-label="My concerns" size="small" className={styles.table}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Reference</TableHeaderCell>
              <TableHeaderCell>Raised</TableHeaderCell>
              <TableHeaderCell>Kind</TableHeaderCell>
              <TableHeaderCell>Acknowledged</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {view.concerns.map((c) => (
              <TableRow key={c.reference} data-reference={c.reference} className={c.reference === props.highlight ? styles.picked : undefined}>
                <TableCell>{c.reference}</TableCell>
                <TableCell>{when(c.createdAt)}</TableCell>
                <TableCell>{c.categoryTitle}</TableCell>
                <TableCell>
                  {c.acknowledged ? (
                    <Badge appearance="tint" color="success" data-acknowledged="yes">{`Acknowledged by ${c.acknowledged.byName}, ${when(c.acknowledged.at)}`}</Badge>
                  ) : (
                    <Badge appearance="tint" color="warning" data-acknowledged="no">Waiting for acknowledgement</Badge>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </section>
  );
}
