/**
 * `npm run train`: generates the seeded data set, trains v1 (logistic regression) and v2 (random
 * forest), prints their held-out accuracy and writes `models/risk-models.json.gz` (gzipped JSON, so
 * the forest stays small in the repository), which the service loads at start. Deterministic: the same code gives the same file.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { trainModels } from './models.js';

const out = fileURLToPath(new URL('../models/risk-models.json.gz', import.meta.url));
const started = performance.now();
const saved = trainModels();
writeFileSync(out, gzipSync(`${JSON.stringify(saved)}\n`, { level: 9 }));
const { baseline, v1, v2 } = saved.heldOut;
console.log(
  `trained on ${saved.trainedOn.trainRows} of ${saved.trainedOn.rows} rows (seed ${saved.trainedOn.seed}) in ${Math.round(performance.now() - started)} ms; ` +
    `held-out accuracy: majority baseline ${baseline.toFixed(3)}, v1 logreg ${v1.toFixed(3)}, v2 random-forest ${v2.toFixed(3)}; wrote ${out}`,
);
