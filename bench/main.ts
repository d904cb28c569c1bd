// Benchmarks: `npm run -s bench -- engine|player|lesson [--json]`.
import { benchEngine } from './engine.ts';
import { benchPlayer, benchLesson } from './player.ts';

const [what = 'engine', ...flags] = process.argv.slice(2);
const json = flags.includes('--json');
if (what === 'engine') benchEngine(json);
else if (what === 'player') benchPlayer(json);
else if (what === 'lesson') benchLesson(json);
else { console.error(`unknown benchmark '${what}' (known: engine, player, lesson)`); process.exit(2); }
