/**
 * Asks why before a record is rejected or withdrawn (the reason stays in the record's history). Kept
 * mounted and opened by its `request`, as the register's dialogs are: unmounting an open Fluent dialog
 * left the page hidden from screen readers.
 */
import { useEffect, useState } from 'react';
import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field, MessageBar, MessageBarBody, Textarea } from '@fluentui/react-components';
import { problemText } from '../api';

export interface ReasonRequest {
  title: string;
  /** What is about to happen, in a sentence. */
  about: string;
  action: string;
  /** Does it; a rejection (an ApiError) is shown in the dialog. */
  run: (reason: string) => Promise<void>;
}

export function ReasonDialog(props: { request?: ReasonRequest; onClose: () => void }) {
  const { request } = props;
  const [reason, setReason] = useState('');
  const [error, setError] = useState('');
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    setReason('');
    setError('');
    setSaving(false);
  }, [request]);

  const go = async () => {
    if (!request) return;
    setSaving(true);
    try {
      await request.run(reason.trim());
      props.onClose();
    } catch (e) {
      setError(problemText(e));
      setSaving(false);
    }
  };
  return (
    <Dialog open={!!request} onOpenChange={(_e, d) => !d.open && props.onClose()}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>{request?.title ?? ''}</DialogTitle>
          <DialogContent>
            <p>{request?.about}</p>
            <Field label="Reason" required hint="Kept with the record, for anyone who reads its history.">
              <Textarea value={reason} onChange={(_e, d) => setReason(d.value)} maxLength={500} />
            </Field>
            {error && <MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar>}
          </DialogContent>
          <DialogActions>
            <Button onClick={props.onClose}>Cancel</Button>
            <Button appearance="primary" disabled={saving || !reason.trim()} onClick={() => void go()}>{request?.action ?? 'OK'}</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
