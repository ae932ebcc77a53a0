/**
 * One change to a case (or to a child's file transfer) in a dialog: its fields, one button, and the
 * server's refusal shown in the dialog when it says no (nothing has changed then). It stays mounted and
 * is opened by `open`, as the register's dialogs are, so Fluent gives the page back to screen readers
 * when it closes; the button that opened it takes back the focus (useRestoreFocusTarget on it).
 */
import { useEffect, useState, type ReactNode } from 'react';
import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, makeStyles } from '@fluentui/react-components';
import { ProblemBar, problemOf, type Problem } from '../components/ProblemBar';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: '10px' },
});

export interface ChangeDialogProps {
  open: boolean;
  title: string;
  /** The button's words: "Close the case". */
  action: string;
  onClose: () => void;
  /** Makes the change; throws the server's refusal. The caller closes the dialog when it is done. */
  submit: () => Promise<void>;
  children: ReactNode;
}

export function ChangeDialog(props: ChangeDialogProps) {
  const styles = useStyles();
  const [problem, setProblem] = useState<Problem | undefined>();
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    if (!props.open) return;
    setProblem(undefined);
    setSaving(false);
  }, [props.open]);

  const go = async () => {
    setSaving(true);
    setProblem(undefined);
    try {
      await props.submit();
    } catch (e) {
      setProblem(problemOf(e));
    }
    setSaving(false);
  };
  return (
    <Dialog open={props.open} onOpenChange={(_e, d) => !d.open && props.onClose()}>
      <DialogSurface>
        {/* noValidate: the fields say what is required, but the server's refusal says what to change, in its words. */}
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void go();
          }}
        >
          <DialogBody>
            <DialogTitle>{props.title}</DialogTitle>
            <DialogContent className={styles.form}>
              {props.children}
              {problem && <ProblemBar problem={problem} />}
            </DialogContent>
            <DialogActions>
              <Button onClick={props.onClose}>Cancel</Button>
              <Button type="submit" appearance="primary" disabled={saving}>{props.action}</Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}

/** A dialog's fields, fresh each time it opens: `[fields, set({ name: value })]`. */
export function useFields<T extends Record<string, string>>(open: boolean, initial: T): [T, (patch: Partial<T>) => void] {
  const [fields, setFields] = useState<T>(initial);
  // Each opening starts from the initial values (the caller passes them fresh; a new object each render is fine).
  const key = JSON.stringify(initial);
  useEffect(() => {
    if (open) setFields(JSON.parse(key) as T);
  }, [open, key]);
  return [fields, (patch) => setFields((f) => ({ ...f, ...patch }))];
}
