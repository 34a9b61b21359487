'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { Client, ZeroShotError } = require('..');
const { startServer, REPO } = require('../scripts/test-server');

const STAR = path.join(REPO, 'models', 'tiny-clip', 'samples', 'shape_013_red_star.png');
const LABELS = ['red star', 'red circle', 'green star'];
const TEMPLATE = 'a photo of a {}';

let server;
let client;

before(async () => {
  server = await startServer();
  client = new Client(server.target);
}, { timeout: 300000 });

after(async () => {
  if (client) client.close();
  if (server) await server.stop();
});

function assertStarResult(r) {
  assert.equal(r.scores.length, 3);
  assert.equal(r.scores[0].label, 'red star');
  const sum = r.scores.reduce((s, x) => s + x.probability, 0);
  assert.ok(Math.abs(sum - 1) < 1e-3, `probabilities sum to ${sum}`);
  for (const s of r.scores) {
    assert.equal(typeof s.cosine, 'number');
    assert.ok(s.cosine >= -1.0001 && s.cosine <= 1.0001);
  }
}

test('classify an image path: red star first, probabilities sum to ~1', async () => {
  const r = await client.classify({ image: STAR, labels: LABELS, template: TEMPLATE });
  assertStarResult(r);
  assert.equal(r.model, 'tiny-clip');
  assert.equal(typeof r.modelVersion, 'string');
  assert.equal(r.noMatch, false);
  assert.ok(Array.isArray(r.warnings));
});

test('classify image bytes (Buffer) with topK', async () => {
  const r = await client.classify({ image: fs.readFileSync(STAR), labels: LABELS, template: TEMPLATE, topK: 1 });
  assert.equal(r.scores.length, 1);
  assert.equal(r.scores[0].label, 'red star');
});

test('embedTexts returns 128-long unit-norm Float32Arrays', async () => {
  const embs = await client.embedTexts(['a red star', 'a green circle']);
  assert.equal(embs.length, 2);
  for (const e of embs) {
    assert.ok(e instanceof Float32Array);
    assert.equal(e.length, 128);
    const norm = Math.sqrt(e.reduce((s, x) => s + x * x, 0));
    assert.ok(Math.abs(norm - 1) < 1e-3, `norm ${norm}`);
  }
});

test('embedImages returns unit-norm Float32Arrays', async () => {
  const embs = await client.embedImages([STAR, fs.readFileSync(STAR)]);
  assert.equal(embs.length, 2);
  assert.equal(embs[0].length, 128);
  assert.ok(embs[0] instanceof Float32Array);
  const dot = embs[0].reduce((s, x, i) => s + x * embs[1][i], 0);
  assert.ok(Math.abs(dot - 1) < 1e-3);
});

test('a template without {} rejects with code INVALID_ARGUMENT', async () => {
  await assert.rejects(
    client.classify({ image: STAR, labels: LABELS, template: 'a photo' }),
    (err) => {
      assert.ok(err instanceof ZeroShotError);
      assert.ok(err instanceof Error);
      assert.equal(err.code, 'INVALID_ARGUMENT');
      assert.equal(typeof err.details, 'string');
      assert.ok(err.details.length > 0);
      return true;
    },
  );
});

test('an unknown model rejects with code NOT_FOUND', async () => {
  await assert.rejects(client.embedTexts(['x'], { model: 'no-such-model' }), { code: 'NOT_FOUND' });
});

test('classifyStream: 20 items, one bad, results in input order', async () => {
  const items = [];
  for (let i = 0; i < 20; i++) {
    if (i === 7) items.push({ image: STAR, labels: [], template: TEMPLATE });
    else if (i % 2 === 0) items.push({ image: STAR, labels: LABELS, template: TEMPLATE });
    // distinct texts tell the order apart: the label equal to the text scores highest
    else items.push({ text: `item ${i}`, labels: [`item ${i}`, 'red circle'], topK: 1 });
  }
  const results = [];
  for await (const r of client.classifyStream(items, { maxInFlight: 4 })) results.push(r);
  assert.equal(results.length, 20);
  for (let i = 0; i < 20; i++) {
    const r = results[i];
    if (i === 7) {
      assert.ok(r.error, 'item 7 is an error');
      assert.equal(r.error.code, 'INVALID_ARGUMENT');
      assert.equal(typeof r.error.message, 'string');
      continue;
    }
    assert.equal(r.error, undefined, `item ${i}: ${JSON.stringify(r.error)}`);
    if (i % 2 === 0) assertStarResult(r);
    else assert.equal(r.scores[0].label, `item ${i}`);
  }
});

test('classifyStream of an async generator, and of nothing', async () => {
  async function* gen() {
    for (let i = 0; i < 5; i++) yield { image: STAR, labels: LABELS, template: TEMPLATE };
  }
  let n = 0;
  for await (const r of client.classifyStream(gen())) {
    assertStarResult(r);
    n++;
  }
  assert.equal(n, 5);
  const none = [];
  for await (const r of client.classifyStream([])) none.push(r);
  assert.deepEqual(none, []);
});

test('models() reports tiny-clip', async () => {
  const m = await client.models();
  const names = m.models.map((x) => x.name);
  assert.ok(names.includes('tiny-clip'), names.join(','));
  assert.equal(m.defaultModel, 'tiny-clip');
  const tiny = m.models.find((x) => x.name === 'tiny-clip');
  assert.equal(tiny.ready, true);
  assert.equal(tiny.dimension, 128);
});

test('classifyStream outlives the server\'s connection age: reopened, every item answered in order', async () => {
  // Connections closed about 2 s after they open (GOAWAY after 1 s, 1 s grace): a 5 s stream is
  // ended with UNAVAILABLE at least twice.
  const recycling = await startServer({
    extraArgs: ['--max-connection-age', '1s', '--max-connection-age-grace', '1s'],
  });
  const c = new Client(recycling.target);
  try {
    const samples = fs.readdirSync(path.join(REPO, 'models', 'tiny-clip', 'samples'))
      .filter((f) => f.endsWith('.png')).sort().slice(0, 5)
      .map((f) => path.join(REPO, 'models', 'tiny-clip', 'samples', f));
    async function* slowly() {
      for (let i = 0; i < 250; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        yield { image: samples[i % samples.length], labels: LABELS, template: TEMPLATE };
      }
    }
    const results = [];
    for await (const r of c.classifyStream(slowly(), { maxInFlight: 8 })) results.push(r);
    assert.equal(results.length, 250);
    assert.deepEqual(results.filter((r) => r.error), []);
    for (let i = samples.length; i < 250; i++) {
      assert.equal(results[i].scores[0].label, results[i % samples.length].scores[0].label, `item ${i}`);
    }
  } finally {
    c.close();
    await recycling.stop();
  }
}, { timeout: 120000 });
