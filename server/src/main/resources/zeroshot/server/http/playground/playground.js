// The playground: fills the model and label-set lists from the JSON API, sends one
// POST v1/classify per submit, and shows the ranked labels, the latency and any error in words.
// Plain script, no build step; URLs are relative so the page also works behind a path prefix.
'use strict';

// google.rpc.Code names, indexed by number.
const CODE_NAMES = [
  'OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND',
  'ALREADY_EXISTS', 'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED',
  'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED',
];

const $ = (id) => document.getElementById(id);
let models = []; // ListModelsResponse.models, as last listed
let previewUrl = null; // the preview's object URL, revoked when another image is chosen
let busy = false;

/** A failed call or a request that cannot be sent: its first line says what, the rest details. */
class PlaygroundError extends Error {
  constructor(lines) {
    super(lines.join('\n'));
    this.lines = lines;
  }
}

function headers(json) {
  const h = { Accept: 'application/json' };
  if (json) h['Content-Type'] = 'application/json';
  // Kept in the password field only: never stored, sent only to this server.
  const token = $('token').value.trim();
  if (token) h.Authorization = 'Bearer ' + token;
  return h;
}

async function call(path, init = { headers: headers(false) }) {
  let response;
  let text;
  try {
    response = await fetch(path, init);
    text = await response.text();
  } catch (e) {
    throw new PlaygroundError(['Network error: no answer from the server (' + e.message + ').']);
  }
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    // Not JSON (e.g. a proxy's error page): described below with its status and text.
  }
  if (response.ok && json !== null) return json;
  throw new PlaygroundError(describeError(response, json, text));
}

/** The lines of an error answer: the google.rpc.Status in words, else the HTTP status and body. */
function describeError(response, status, text) {
  const http = 'HTTP ' + response.status + (response.statusText ? ' ' + response.statusText : '');
  if (status === null || typeof status.message !== 'string') {
    const body = text.trim().slice(0, 300);
    return [http + (body ? ': ' + body : ' with no body')];
  }
  const lines = [(CODE_NAMES[status.code] || 'code ' + status.code) + ': ' + status.message];
  for (const detail of status.details || []) {
    for (const v of detail.fieldViolations || []) {
      const line = v.field + ': ' + v.description;
      if (line !== status.message) lines.push(line); // the message often is the one violation
    }
  }
  const retryAfter = response.headers.get('Retry-After');
  if (retryAfter) lines.push('Retry after ' + retryAfter + (/^\d+$/.test(retryAfter) ? ' s.' : '.'));
  lines.push(http);
  return lines;
}

async function loadModels() {
  const select = $('model');
  const previous = select.value;
  try {
    const list = await call('v1/models');
    models = list.models;
    const chosen = models.some((m) => m.name === previous) ? previous : list.defaultModel;
    select.replaceChildren(...models.map((m) => new Option(
      m.name + ' ' + m.version + (m.ready ? '' : ' (loading)'), m.name, false, m.name === chosen)));
    $('error').replaceChildren(); // e.g. a missing token, now typed
    describeModel();
    await loadLabelSets();
  } catch (e) {
    $('model-info').textContent = 'Could not list the models; the server default is used.';
    showError(e);
  }
}

function describeModel() {
  const m = models.find((model) => model.name === $('model').value);
  $('model-info').textContent = !m ? '' : m.family + ', ' + m.scoring + ' scoring, '
    + m.dimension + '-dimensional embeddings, ' + m.imageSize + ' px images'
    + (m.ready ? '' : '; still loading');
}

async function loadLabelSets() {
  const model = $('model').value;
  let sets = [];
  try {
    sets = (await call('v1/labelsets?model=' + encodeURIComponent(model))).labelSets;
  } catch (e) {
    showError(e);
  }
  if ($('model').value !== model) return; // another model was chosen meanwhile
  $('label-set').replaceChildren(...sets.map((s) => new Option(
    s.name + ' (' + s.labelCount + ' labels)', s.name)));
  $('label-set-hint').textContent = sets.length ? ''
    : 'This model has no label set yet (they are made with PutLabelSet).';
}

function showPanels() {
  const image = $('input-image').checked;
  const typed = $('labels-typed').checked;
  $('image-panel').hidden = !image;
  $('text-panel').hidden = image;
  $('typed-panel').hidden = !typed;
  $('set-panel').hidden = typed;
}

function chooseImage(file) {
  if (previewUrl) URL.revokeObjectURL(previewUrl);
  previewUrl = file ? URL.createObjectURL(file) : null;
  const preview = $('preview');
  preview.hidden = !file;
  if (file) {
    preview.src = previewUrl;
    preview.alt = 'Preview of ' + file.name;
  } else {
    preview.removeAttribute('src');
  }
}

/** The file's bytes in standard base64, as proto3 JSON writes bytes. */
function base64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = reader.result; // data:<type>;base64,<bytes>, or just "data:" for an empty file
      const comma = url.indexOf(',');
      resolve(comma < 0 ? '' : url.slice(comma + 1));
    };
    reader.onerror = () => reject(new PlaygroundError(
      ['Could not read ' + file.name + ': ' + reader.error.message]));
    reader.readAsDataURL(file);
  });
}

/** The ClassifyRequest in proto3 JSON, from the form. */
async function request() {
  const body = { model: $('model').value, topK: Number($('top-k').value) };
  if ($('input-image').checked) {
    const file = $('image-input').files[0];
    if (!file) throw new PlaygroundError(['Choose an image file first, or drop one on the box.']);
    body.image = { encoded: await base64(file) };
  } else {
    body.text = $('text-input').value;
  }
  if ($('labels-typed').checked) {
    // A trailing comma or a doubled one is a typing slip, not a blank label.
    body.labels = $('labels').value.split(',').map((l) => l.trim()).filter((l) => l !== '');
    body.promptTemplate = $('template').value;
  } else {
    if (!$('label-set').value) throw new PlaygroundError(['Choose a label set first.']);
    body.labelSet = $('label-set').value;
  }
  return body;
}

async function classify(event) {
  event.preventDefault();
  if (busy) return; // Enter pressed again while the call runs
  busy = true;
  $('classify').setAttribute('aria-disabled', 'true');
  $('result').setAttribute('aria-busy', 'true');
  try {
    const init = { method: 'POST', headers: headers(true), body: JSON.stringify(await request()) };
    const start = performance.now();
    const answer = await call('v1/classify', init);
    showResult(answer, performance.now() - start);
  } catch (e) {
    showError(e);
  } finally {
    busy = false;
    $('classify').removeAttribute('aria-disabled');
    $('result').removeAttribute('aria-busy');
  }
}

function element(tag, className, text) {
  const e = document.createElement(tag);
  e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

function clearOutput() {
  for (const id of ['error', 'latency', 'answered-by', 'results', 'warnings']) $(id).replaceChildren();
}

function showResult(answer, ms) {
  clearOutput();
  $('latency').textContent = 'Latency: ' + ms.toFixed(1) + ' ms';
  $('answered-by').textContent = 'Model: ' + answer.model + ' ' + answer.modelVersion;
  for (const score of answer.scores) {
    const bar = element('span', 'bar');
    bar.setAttribute('aria-hidden', 'true'); // the percentage beside it says the same in words
    const fill = element('span', 'fill');
    fill.style.width = (100 * score.probability).toFixed(1) + '%';
    bar.append(fill);
    const row = document.createElement('li');
    row.append(element('span', 'label', score.label), bar,
      element('span', 'probability', (100 * score.probability).toFixed(1) + ' %'),
      element('span', 'cosine', 'cosine ' + score.cosine.toFixed(3)));
    $('results').append(row);
  }
  if (answer.noMatch) $('warnings').append(element('li', 'warning', 'No label reached the minimum score.'));
  for (const warning of answer.warnings) $('warnings').append(element('li', 'warning', warning));
}

function showError(e) {
  clearOutput();
  const lines = e instanceof PlaygroundError ? e.lines : ['Unexpected error: ' + e.message];
  $('error').append(element('p', 'message', lines[0]));
  if (lines.length > 1) {
    const details = element('ul', 'details');
    details.append(...lines.slice(1).map((line) => element('li', 'detail', line)));
    $('error').append(details);
  }
}

function dropImages() {
  const zone = $('drop-zone');
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    if (e.dataTransfer.files.length === 0) return;
    $('image-input').files = e.dataTransfer.files;
    chooseImage(e.dataTransfer.files[0]);
  });
  // A file dropped beside the box would otherwise replace the page.
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', (e) => e.preventDefault());
}

for (const radio of document.querySelectorAll('input[type=radio]')) {
  radio.addEventListener('change', showPanels);
}
$('model').addEventListener('change', () => {
  describeModel();
  loadLabelSets();
});
$('token').addEventListener('change', loadModels); // a token may be what listing needed
$('image-input').addEventListener('change', () => chooseImage($('image-input').files[0]));
$('classify-form').addEventListener('submit', classify);
dropImages();
showPanels();
loadModels();
