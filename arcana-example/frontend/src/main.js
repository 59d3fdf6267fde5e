import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import { connect, identityFromUrl } from './arcana.js';

const identity = identityFromUrl(window.location);
const client = connect(identity);
mount(App, { target: document.getElementById('app'), props: { client, identity } });
