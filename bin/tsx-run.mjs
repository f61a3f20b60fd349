#!/usr/bin/env node
// Runs a TypeScript file through tsx (used by `npm run bench`).
import { register } from 'tsx/esm/api';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

register();
await import(pathToFileURL(path.resolve(process.argv[2])).href);
