#!/usr/bin/env node
// The CLI runs from its TypeScript sources through tsx, so a fresh clone needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('../core/cli/main.ts');
