#!/usr/bin/env node
// The `redcom` CLI: runs the TypeScript sources through tsx, so no build step is needed.
import { register } from 'tsx/esm/api';

register();
await import('../server/src/cli/main.ts');
