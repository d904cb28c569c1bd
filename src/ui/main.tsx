// First: the engine's worker, and a lesson link's recording (boot.ts).
import { engine } from './boot.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import './app.css';
import { registerOffline } from './offline.ts';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

registerOffline();

createRoot(root).render(
  <StrictMode>
    <App engine={engine} />
  </StrictMode>,
);
