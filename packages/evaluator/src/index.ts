export * from './client/index.js';
export * from './core.js';
