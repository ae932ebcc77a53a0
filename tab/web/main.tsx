/**
 * The AUP register tab (PRODUCT.md §4). Inside Teams: teams-js, the Teams theme, SSO. Outside Teams,
 * and only when the server says local mode is on: a demo person picker.
 */
import { createRoot } from 'react-dom/client';
import { App } from './App';

createRoot(document.getElementById('root')!).render(<App />);
