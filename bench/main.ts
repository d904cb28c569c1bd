// Benchmarks: `npm run -s bench -- engine|player|lesson|warmup [--json]`.
import { benchEngine } from './engine.ts';
import { benchPlayer, benchLesson } from './player.ts';
import { benchWarmup } from './warmup.ts';

const [what = 'engine', ...flags] = process.argv.slice(2);
const json = flags.includes('--json');
if (what === 'engine') benchEngine(json);
else if (what === 'player') benchPlayer(json);
else if (what === 'lesson') {
  const at = flags.indexOf('--deep-link');
  benchLesson(json, at >= 0 ? [flags[at + 1], Number(flags[at + 2])] : undefined);
}
else if (what === 'warmup') benchWarmup(json, flags.includes('--child'));
else { console.error(`unknown benchmark '${what}' (known: engine, player, lesson, warmup)`); process.exit(2); }
