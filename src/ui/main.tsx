import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { workerEngine } from './engineClient.ts';
import './app.css';
import { registerOffline } from './offline.ts';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

registerOffline();

createRoot(root).render(
  <StrictMode>
    <App engine={workerEngine()} />
  </StrictMode>,
);
