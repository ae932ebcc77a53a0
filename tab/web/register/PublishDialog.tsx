/**
 * Publishing an Acceptable Use Policy, or a new version of one (the annual review, §3): the text or a
 * link to it. A new version asks everyone it applies to to sign again; for documents signed in Teams
 * the page then offers a reminder to everyone who must.
 */
import { useEffect, useState } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Radio,
  RadioGroup,
  Select,
  Textarea,
  makeStyles,
} from '@fluentui/react-components';
import { AUP_KIND_INFO, AUP_KINDS, type AupKind } from '../../../core/aup';
import type { RegisterView } from '../../api/view';
import { ApiError, type TabApi } from '../api';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: '10px' },
});

export interface Published {
  documentId: string;
  title: string;
  version: number;
  signedInTeams: boolean;
}

/** A document id from its title: lowercase letters, digits and dashes. */
function slug(title: string): string {
  return title.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'document';
}

export function PublishDialog(props: { api: TabApi; open: boolean; documents: RegisterView['documents']; onClose: (published?: Published) => void }) {
  const styles = useStyles();
  const [target, setTarget] = useState('new');
  const [kind, setKind] = useState<AupKind>('staff');
  const [title, setTitle] = useState('');
  const [source, setSource] = useState<'text' | 'link'>('text');
  const [text, setText] = useState('');
  const [link, setLink] = useState('');
  const [error, setError] = useState('');
  const [saving, setSaving] = useState(false);
  const existing = props.documents.find((d) => d.id === target);

  useEffect(() => {
    if (!props.open) return;
    setTarget('new');
    setTitle('');
    setText('');
    setLink('');
    setError('');
    setSaving(false);
  }, [props.open]);
  useEffect(() => {
    if (existing) {
      setKind(existing.kind);
      setTitle(existing.title);
      setSource(existing.link ? 'link' : 'text');
    }
  }, [existing]);

  const publish = async () => {
    setSaving(true);
    setError('');
    try {
      const body = { documentId: existing?.id ?? slug(title), kind, title: title.trim(), ...(source === 'text' ? { text } : { link: link.trim() }) };
      const r = await props.api.publish(body);
      props.onClose({ documentId: r.documentId, title: r.title, version: r.version, signedInTeams: r.signedInTeams });
    } catch (e) {
      setError(e instanceof ApiError && e.details.length ? `${e.message} ${e.details.join(' ')}` : (e as Error).message);
      setSaving(false);
    }
  };
  const ready = title.trim() && (source === 'text' ? text.trim() : link.trim());
  return (
    <Dialog open={props.open} onOpenChange={(_e, d) => !d.open && props.onClose()}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>Publish a policy</DialogTitle>
          <DialogContent className={styles.form}>
            <Field label="Document">
              <Select value={target} onChange={(_e, d) => setTarget(d.value)}>
                <option value="new">A new document</option>
                {props.documents.map((d) => <option key={d.id} value={d.id}>{`A new version of ${d.title} (now v${d.version})`}</option>)}
              </Select>
            </Field>
            {!existing && (
              <Field label="Kind">
                <Select value={kind} onChange={(_e, d) => setKind(d.value as AupKind)}>
                  {AUP_KINDS.map((k) => <option key={k} value={k}>{`${AUP_KIND_INFO[k].title} (${AUP_KIND_INFO[k].policy})`}</option>)}
                </Select>
              </Field>
            )}
            <Field label="Title" required>
              <Input value={title} onChange={(_e, d) => setTitle(d.value)} maxLength={200} />
            </Field>
            <RadioGroup value={source} onChange={(_e, d) => setSource(d.value as 'text' | 'link')} layout="horizontal" aria-label="Where the text is">
              <Radio value="text" label="The text" />
              <Radio value="link" label="A link to it" />
            </RadioGroup>
            {source === 'text' ? (
              <Field label="Text" required>
                <Textarea value={text} onChange={(_e, d) => setText(d.value)} rows={8} resize="vertical" />
              </Field>
            ) : (
              <Field label="Link (https://…)" required>
                <Input type="url" value={link} onChange={(_e, d) => setLink(d.value)} />
              </Field>
            )}
            {existing && <MessageBar intent="info"><MessageBarBody>{`Everyone ${existing.title} applies to will be asked to sign version ${existing.version + 1}.`}</MessageBarBody></MessageBar>}
            {error && <MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar>}
          </DialogContent>
          <DialogActions>
            <Button onClick={() => props.onClose()}>Cancel</Button>
            <Button appearance="primary" disabled={saving || !ready} onClick={() => void publish()}>Publish</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
