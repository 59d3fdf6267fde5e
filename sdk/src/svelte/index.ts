export { view, connectionStatus, type ReactiveView } from './view.svelte.js';
export { mutation, type ReactiveMutation, type MutationOptions, type RunArgs } from './mutation.svelte.js';
