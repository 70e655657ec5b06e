#!/usr/bin/env node
// The CLI as one bundled module (npm run build:cli): one file to load starts several times faster than ~100 modules.
import '../dist/bundle/cli.mjs';
