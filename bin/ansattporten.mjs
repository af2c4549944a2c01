#!/usr/bin/env node
// The `ansattporten` command: runs src/cli/main.ts through tsx, so it works right after `npm ci`
// without a build step (`npx ansattporten clients list`).
import { tsImport } from 'tsx/esm/api';

const { main } = await tsImport('../src/cli/main.ts', import.meta.url);
process.exitCode = await main(process.argv.slice(2));
