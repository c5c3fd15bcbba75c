export * from './errors.js';
export * from './spec.js';
export * from './domain.js';
export * from './contract.js';
