// Benchmarks: `npm run -s bench -- engine [--json]`.
import { benchEngine } from './engine.ts';

const [what = 'engine', ...flags] = process.argv.slice(2);
const json = flags.includes('--json');
if (what === 'engine') benchEngine(json);
else { console.error(`unknown benchmark '${what}' (known: engine)`); process.exit(2); }
