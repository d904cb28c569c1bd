// Benchmarks: `npm run -s bench -- engine|player [--json]`.
import { benchEngine } from './engine.ts';
import { benchPlayer } from './player.ts';

const [what = 'engine', ...flags] = process.argv.slice(2);
const json = flags.includes('--json');
if (what === 'engine') benchEngine(json);
else if (what === 'player') benchPlayer(json);
else { console.error(`unknown benchmark '${what}' (known: engine, player)`); process.exit(2); }
