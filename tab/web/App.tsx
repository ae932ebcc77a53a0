/**
 * Starting the tab: inside Teams, its theme and sign-in; outside Teams, and only when the server says
 * local mode is on (no credentials, loopback only), a demo person picker. Then the shell with the
 * pages the person may see.
 */
import { useEffect, useMemo, useState } from 'react';
import {
  Button,
  FluentProvider,
  MessageBar,
  MessageBarBody,
  Select,
  Spinner,
  Text,
  Title3,
  makeStyles,
  teamsDarkTheme,
  teamsHighContrastTheme,
  teamsLightTheme,
  tokens,
} from '@fluentui/react-components';
import type { TabConfig } from '../api/view';
import { fetchConfig, fetchLocalPeople, TabApi } from './api';
import { startInTeams, type HostTheme } from './host';
import { requestedPage, type PageRequest } from './navigation';
import { Shell } from './Shell';
import { asTheme } from './theme';

const THEMES = { default: teamsLightTheme, dark: teamsDarkTheme, contrast: teamsHighContrastTheme } as const;
const DEMO_KEY = 'aup-demo-person';

const useStyles = makeStyles({
  root: { minHeight: '100vh', backgroundColor: tokens.colorNeutralBackground2, color: tokens.colorNeutralForeground1 },
  centre: { padding: '24px', display: 'flex', flexDirection: 'column', gap: '12px', maxWidth: '560px' },
});

type Start =
  | { kind: 'loading' }
  | { kind: 'teams'; api: TabApi; asked: PageRequest }
  | { kind: 'pick'; config: TabConfig }
  | { kind: 'local'; api: TabApi; config: TabConfig; personId: string }
  | { kind: 'outside' };

export function App() {
  const [theme, setTheme] = useState<HostTheme>('default');
  const [start, setStart] = useState<Start>({ kind: 'loading' });
  const styles = useStyles();

  useEffect(() => {
    void (async () => {
      const config = await fetchConfig();
      const framed = window.self !== window.top;
      // Outside Teams there is no host to ask: go straight to local mode when the server offers it.
      const host = framed || !config.localMode ? await startInTeams() : undefined;
      if (host) {
        setTheme(host.theme);
        host.onThemeChange(setTheme);
        setStart({ kind: 'teams', api: new TabApi({ kind: 'teams', token: host.token }), asked: requestedPage(host, window.location.search) });
        return;
      }
      if (!config.localMode) return setStart({ kind: 'outside' });
      // Local mode only: preview Teams' dark and high-contrast themes with ?theme=dark|contrast.
      setTheme(asTheme(new URLSearchParams(window.location.search).get('theme')));
      const chosen = sessionStorage.getItem(DEMO_KEY);
      setStart(chosen ? { kind: 'local', api: new TabApi({ kind: 'local', personId: chosen }), config, personId: chosen } : { kind: 'pick', config });
    })().catch(() => setStart({ kind: 'outside' }));
  }, []);

  const choose = (personId: string, config: TabConfig) => {
    sessionStorage.setItem(DEMO_KEY, personId);
    setStart({ kind: 'local', api: new TabApi({ kind: 'local', personId }), config, personId });
  };

  return (
    <FluentProvider theme={THEMES[theme]} className={styles.root}>
      {start.kind === 'loading' && <div className={styles.centre}><Spinner label="Opening…" /></div>}
      {start.kind === 'outside' && (
        <div className={styles.centre}>
          <Title3 as="h1">Online safety</Title3>
          <Text>Please open this page from its tab in Microsoft Teams.</Text>
        </div>
      )}
      {start.kind === 'pick' && <LocalPicker onChoose={(id) => choose(id, start.config)} schoolName={start.config.schoolName} />}
      {start.kind === 'teams' && <Shell api={start.api} asked={start.asked} />}
      {start.kind === 'local' && (
        <>
          <MessageBar intent="warning">
            <MessageBarBody>
              Local mode: you are acting as a demo person, without Teams sign-in.{' '}
              <Button size="small" appearance="transparent" onClick={() => { sessionStorage.removeItem(DEMO_KEY); setStart({ kind: 'pick', config: start.config }); }}>
                Choose someone else
              </Button>
            </MessageBarBody>
          </MessageBar>
          <Shell api={start.api} asked={requestedPage(undefined, window.location.search)} key={start.personId} localAddress />
        </>
      )}
    </FluentProvider>
  );
}

function LocalPicker(props: { schoolName: string; onChoose: (id: string) => void }) {
  const styles = useStyles();
  const [people, setPeople] = useState<{ id: string; displayName: string; roles: string[] }[] | undefined>();
  const [chosen, setChosen] = useState('');
  const [error, setError] = useState('');
  useEffect(() => {
    fetchLocalPeople().then(setPeople, (e: Error) => setError(e.message));
  }, []);
  const options = useMemo(() => people ?? [], [people]);
  return (
    <div className={styles.centre}>
      <Title3 as="h1">{`${props.schoolName}: online safety (local mode)`}</Title3>
      <Text>This server runs without Teams credentials, on this computer only. Choose who to act as.</Text>
      {error && <MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar>}
      {!people && !error && <Spinner size="tiny" label="Loading people…" />}
      {people && (
        <>
          <label htmlFor="demo-person">Demo person</label>
          <Select id="demo-person" value={chosen} onChange={(_e, d) => setChosen(d.value)}>
            <option value="">Choose…</option>
            {options.map((p) => (
              <option key={p.id} value={p.id}>{`${p.displayName} (${p.roles.join(', ')})`}</option>
            ))}
          </Select>
          <Button appearance="primary" disabled={!chosen} onClick={() => props.onChoose(chosen)}>Open</Button>
        </>
      )}
    </div>
  );
}
