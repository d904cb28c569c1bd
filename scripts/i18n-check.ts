// `npm run -s i18n:check`: per locale, the catalog's key count and what it lacks or adds against
// English; the lessons' steps per locale. Exit 1 if anything is missing, extra or mismatched.

import { CATALOGS, en } from '../src/ui/messages/index.ts';
import { compareCatalog } from '../src/ui/messages/check.ts';
import { LESSONS } from '../src/lessons/index.ts';
import { LOCALES } from '../src/ui/messages/locale.ts';
import { EXERCISE_KINDS } from '../src/engine/course/exercises/ids.ts';

let bad = false;
for (const locale of LOCALES) {
  const r = compareCatalog(locale, CATALOGS[locale], en);
  const steps = LESSONS.reduce((n, l) => n + l.steps.filter((s) => l.prose[locale]?.steps[s.id]).length, 0);
  const lessonsMissing = LESSONS.flatMap((l) => (l.prose[locale] ? l.steps.filter((s) => !l.prose[locale]!.steps[s.id]).map((s) => `${l.id}/${s.id}`) : [`${l.id} (no prose)`]));
  console.log(`${locale}: ${r.keys} catalog keys, ${r.missing.length} missing, ${r.extra.length} extra, ${r.mismatched.length} mismatched; lessons ${LESSONS.length}, steps ${steps} (${lessonsMissing.length} missing); ${r.same.length} texts equal to English`);
  for (const k of r.missing) console.log(`  missing     ${k}`);
  for (const k of r.extra) console.log(`  extra       ${k}`);
  for (const k of r.mismatched) console.log(`  mismatched  ${k}`);
  for (const k of lessonsMissing) console.log(`  missing     lesson ${k}`);
  if (process.argv.includes('--same')) for (const k of r.same) console.log(`  same        ${k}`);
  if (r.missing.length || r.extra.length || r.mismatched.length || lessonsMissing.length) bad = true;
}
console.log(`exercise kinds: ${EXERCISE_KINDS.length}`);
process.exit(bad ? 1 : 0);
