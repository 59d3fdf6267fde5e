export { view, connectionStatus, type ReactiveView } from './view.svelte.js';
