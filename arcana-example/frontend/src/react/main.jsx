import { createRoot } from 'react-dom/client';
import { StrictMode } from 'react';
import '../app.css';
import { connect, identityFromUrl } from '../arcana.js';
import { TaskPage } from './TaskPage.jsx';

const identity = identityFromUrl(window.location);
const client = connect(identity);
createRoot(document.getElementById('app')).render(
  <StrictMode>
    <TaskPage client={client} identity={identity} />
  </StrictMode>,
);
