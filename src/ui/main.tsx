import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { UpdatePrompt } from './features/offline/UpdatePrompt';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
    {/* The service worker exists only in a production build; in development it would serve
        stale modules. */}
    {import.meta.env.PROD && <UpdatePrompt />}
  </StrictMode>,
);
