import { createApp } from 'vue';
import '../app.css';
import { connect, identityFromUrl } from '../arcana.js';
import TaskPage from './TaskPage.vue';

const identity = identityFromUrl(window.location);
const client = connect(identity);
createApp(TaskPage, { client, identity }).mount('#app');
