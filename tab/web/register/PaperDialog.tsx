/**
 * Recording a paper signature (learners, parents, visitors: §7.2). The dialog stays mounted and is
 * opened and closed by its `open` state, so Fluent takes back the page's aria-hidden when it closes
 * (unmounting an open dialog left the page hidden from screen readers).
 */
import { useEffect, useState } from 'react';
import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Input, MessageBar, MessageBarBody } from '@fluentui/react-components';
import type { RegisterRow } from '../../../core/aup';
import type { RegisterView } from '../../api/view';
import { ApiError, type TabApi } from '../api';

export interface PaperRequest {
  row: RegisterRow;
  document: RegisterView['documents'][number];
}

export function PaperDialog(props: { api: TabApi; request?: PaperRequest; onClose: (saved?: PaperRequest) => void }) {
  const today = new Date().toISOString().slice(0, 10);
  const [signedOn, setSignedOn] = useState(today);
  const [error, setError] = useState('');
  const [saving, setSaving] = useState(false);
  const { request } = props;
  useEffect(() => {
    setSignedOn(today);
    setError('');
    setSaving(false);
  }, [request, today]);

  const save = async () => {
    if (!request) return;
    setSaving(true);
    try {
      await props.api.recordPaper({ personId: request.row.person.id, documentId: request.document.id, signedOn });
      props.onClose(request);
    } catch (e) {
      setError(e instanceof ApiError && e.details.length ? e.details.join(' ') : (e as Error).message);
      setSaving(false);
    }
  };
  return (
    <Dialog open={!!request} onOpenChange={(_e, d) => !d.open && props.onClose()}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>Record a paper signature</DialogTitle>
          <DialogContent>
            {request && <p>{`${request.row.person.displayName} signed ${request.document.title}, version ${request.document.version}, on paper.`}</p>}
            <label htmlFor="signed-on">Date signed</label>
            <Input id="signed-on" type="date" value={signedOn} max={today} onChange={(_e, d) => setSignedOn(d.value)} />
            {error && <MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar>}
          </DialogContent>
          <DialogActions>
            <Button onClick={() => props.onClose()}>Cancel</Button>
            <Button appearance="primary" disabled={saving || !signedOn} onClick={() => void save()}>Record signature</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
