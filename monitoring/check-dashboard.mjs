#!/usr/bin/env node
// Offline checks for the ZeroShot Serve Grafana dashboard (no Grafana, no Prometheus server needed).
//
//   node monitoring/check-dashboard.mjs [dashboard.json] [--rules-out FILE [--test-out FILE]] [--no-docs]
//
// 1. Every panel/target uses the `${datasource}` variable.
// 2. Every targets[].expr only uses the variables $model, $pod and Grafana's interval variables.
// 3. Every expr parses without error nodes with @prometheus-io/lezer-promql (the grammar of the
//    Prometheus UI), after substituting the variables with placeholders.
// 4. Lint: every vector selector names a metric the server exports (list below), filters
//    pod=~"$pod", and, when the metric has a model label, model=~"$model".
// --rules-out: writes a Prometheus rules file with each expr as a recording rule, so that
//    `promtool check rules` parses it with the real Prometheus parser.
// --test-out: writes a `promtool test rules` file that loads synthetic series for every metric
//    (two pods, one model, both encoders) and asserts that every expr returns at least one
//    non-NaN sample, i.e. that label matching in joins/divisions really works.
// Also: every expr must be quoted verbatim in docs/metrics.md (unless --no-docs).
// Exits 1 naming the panel on any problem. monitoring/check.sh runs all of it.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parser } from '@prometheus-io/lezer-promql';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
let dashboardPath = join(here, 'grafana', 'zeroshot-serve.json');
let rulesOut = null;
let testOut = null;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--no-docs') continue;
  if (args[i] === '--rules-out') rulesOut = args[++i];
  else if (args[i] === '--test-out') testOut = args[++i];
  else dashboardPath = args[i];
}

// metric name -> labels beyond the scrape labels job/instance/pod
const METRICS = {
  zeroshot_grpc_requests_total: ['method', 'code'],
  zeroshot_grpc_request_duration_seconds_bucket: ['method', 'code', 'le'],
  zeroshot_grpc_request_duration_seconds_sum: ['method', 'code'],
  zeroshot_grpc_request_duration_seconds_count: ['method', 'code'],
  zeroshot_batch_queue_depth_items: ['model', 'encoder'],
  zeroshot_batch_queue_capacity_items: ['model', 'encoder'],
  zeroshot_batch_dropped_items_total: ['model', 'encoder', 'reason'],
  zeroshot_label_cache_requests_total: ['result'],
  zeroshot_label_cache_entries: [],
  zeroshot_label_cache_size_bytes: [],
  zeroshot_label_cache_evictions_total: [],
  zeroshot_label_sets: [],
  zeroshot_model_ready: ['model', 'version', 'device'],
  zeroshot_device_memory_used_bytes: ['model', 'device'],
  jvm_memory_used_bytes: ['area', 'id'],
  process_cpu_usage: [],
  jvm_gc_pause_seconds_sum: ['action', 'cause'],
  jvm_gc_pause_seconds_count: ['action', 'cause'],
  jvm_gc_pause_seconds_max: ['action', 'cause'],
  process_uptime_seconds: [],
};
for (const h of ['zeroshot_batch_size_items', 'zeroshot_batch_queue_wait_seconds', 'zeroshot_batch_inference_seconds']) {
  METRICS[`${h}_bucket`] = ['model', 'encoder', 'le'];
  METRICS[`${h}_sum`] = ['model', 'encoder'];
  METRICS[`${h}_count`] = ['model', 'encoder'];
}
METRICS.zeroshot_preprocess_duration_seconds_bucket = ['model', 'le'];
METRICS.zeroshot_preprocess_duration_seconds_sum = ['model'];
METRICS.zeroshot_preprocess_duration_seconds_count = ['model'];

const MARK = { model: '__VAR_model__', pod: '__VAR_pod__' };
const INTERVAL_VARS = ['__rate_interval', '__interval', '__range'];

const problems = [];
const checked = [];
const dashboard = JSON.parse(readFileSync(dashboardPath, 'utf8'));

function* allPanels(panels) {
  for (const p of panels ?? []) {
    yield p;
    yield* allPanels(p.panels);
  }
}

const isDsVar = (ds) => ds && ds.type === 'prometheus' && (ds.uid === '${datasource}' || ds.uid === '$datasource');

for (const panel of allPanels(dashboard.panels)) {
  const where = `panel ${panel.id} "${panel.title}"`;
  if (panel.type !== 'row' && !isDsVar(panel.datasource)) problems.push(`${where}: datasource is not \${datasource}`);
  for (const t of panel.targets ?? []) {
    const at = `${where} target ${t.refId}`;
    if (!isDsVar(t.datasource)) problems.push(`${at}: datasource is not \${datasource}`);
    if (typeof t.expr !== 'string' || !t.expr.trim()) { problems.push(`${at}: empty expr`); continue; }
    // substitute variables
    let unknown = [];
    const expr = t.expr.replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)|\[\[(\w+)\]\]/g, (m, a, b, c) => {
      const v = a ?? b ?? c;
      if (MARK[v]) return MARK[v];
      if (INTERVAL_VARS.includes(v)) return '5m';
      unknown.push(m);
      return m;
    });
    if (unknown.length) { problems.push(`${at}: unknown variable(s) ${unknown.join(', ')}`); continue; }
    // parse
    const tree = parser.parse(expr);
    let syntaxErr = null;
    const selectors = [];
    tree.iterate({
      enter(n) {
        if (n.type.isError && !syntaxErr) syntaxErr = n.from;
        if (n.name === 'VectorSelector') selectors.push(n.node);
      },
    });
    if (syntaxErr !== null) {
      problems.push(`${at}: PromQL syntax error at offset ${syntaxErr}: ${expr.slice(0, syntaxErr)} <HERE> ${expr.slice(syntaxErr)}`);
      continue;
    }
    // lint selectors
    for (const sel of selectors) {
      const text = expr.slice(sel.from, sel.to);
      const id = sel.getChild('Identifier');
      const name = id ? expr.slice(id.from, id.to) : null;
      if (!name) { problems.push(`${at}: selector without metric name: ${text}`); continue; }
      if (!(name in METRICS)) { problems.push(`${at}: metric ${name} is not exported by the server (see docs/metrics.md)`); continue; }
      if (!text.includes(`pod=~"${MARK.pod}"`)) problems.push(`${at}: ${name} selector lacks pod=~"$pod"`);
      if (METRICS[name].includes('model') && !text.includes(`model=~"${MARK.model}"`)) problems.push(`${at}: ${name} selector lacks model=~"$model"`);
    }
    checked.push({ panel, target: t, expr: expr.replaceAll(MARK.model, '.*').replaceAll(MARK.pod, '.*') });
  }
}

// template variable queries
const vars = Object.fromEntries((dashboard.templating?.list ?? []).map((v) => [v.name, v]));
if (vars.datasource?.type !== 'datasource' || vars.datasource?.query !== 'prometheus') problems.push('variable datasource must be of type datasource, query prometheus');
for (const [name, q] of [['model', 'label_values(zeroshot_model_ready, model)'], ['pod', 'label_values(zeroshot_model_ready, pod)']]) {
  const v = vars[name];
  const query = typeof v?.query === 'string' ? v.query : v?.query?.query;
  if (!v || query !== q) problems.push(`variable ${name} must query ${q}`);
  else if (!isDsVar(v.datasource)) problems.push(`variable ${name}: datasource is not \${datasource}`);
}
if (!vars.pod?.includeAll) problems.push('variable pod must include All');

if (checked.length === 0) problems.push('no targets[].expr found');

// docs/metrics.md must quote every query verbatim (skipped with --no-docs or when the file is absent)
const docsPath = join(here, '..', 'docs', 'metrics.md');
if (!args.includes('--no-docs') && existsSync(docsPath)) {
  const docs = readFileSync(docsPath, 'utf8');
  for (const c of checked) {
    if (!docs.includes(c.target.expr)) problems.push(`panel ${c.panel.id} "${c.panel.title}" target ${c.target.refId}: query not quoted verbatim in docs/metrics.md`);
  }
}

const ruleName = (c) => `dashboard_check:panel_${c.panel.id}_${c.target.refId}`;
const yamlStr = (s) => JSON.stringify(s); // JSON strings are valid YAML double-quoted scalars

if (rulesOut) {
  const lines = ['# generated by monitoring/check-dashboard.mjs: every dashboard expr as a recording rule', 'groups:', '  - name: dashboard-check', '    rules:'];
  for (const c of checked) {
    lines.push(`      - record: ${ruleName(c)}`);
    lines.push(`        expr: ${yamlStr(c.expr)}`);
    lines.push(`        labels: {panel: ${yamlStr(c.panel.title)}, ref_id: ${yamlStr(c.target.refId)}}`);
  }
  writeFileSync(rulesOut, lines.join('\n') + '\n');
}

if (testOut && !rulesOut) problems.push('--test-out needs --rules-out');
if (testOut && rulesOut) {
  const S = ['0.001', '0.0025', '0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '+Inf'];
  const ITEMS = ['1', '2', '4', '8', '16', '32', '64', '128', '256', '+Inf'];
  const series = [];
  const add = (name, labels, values) => {
    const l = Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',');
    series.push(`      - series: '${name}{${l}}'\n        values: '${values}'`);
  };
  const hist = (base, labels, les, perMin) => {
    les.forEach((le, i) => add(`${base}_bucket`, { ...labels, le }, `0+${Math.round(perMin * Math.min(1, (i + 1) / (les.length - 2)))}x15`));
    add(`${base}_sum`, labels, `0+${perMin * 0.2}x15`);
    add(`${base}_count`, labels, `0+${perMin}x15`);
  };
  const pods = [
    { job: 'zeroshot-serve', instance: '10.0.0.1:9090', pod: 'zeroshot-serve-0' },
    { job: 'zeroshot-serve', instance: '10.0.0.2:9090', pod: 'zeroshot-serve-1' },
  ];
  const model = 'clip-vit-b32';
  for (const p of pods) {
    for (const [method, code, n] of [['Classify', 'OK', 600], ['Classify', 'INVALID_ARGUMENT', 10], ['Classify', 'INTERNAL', 5],
      ['EmbedImages', 'OK', 120], ['EmbedTexts', 'OK', 60], ['Classify', 'RESOURCE_EXHAUSTED', 3]]) {
      add('zeroshot_grpc_requests_total', { ...p, method, code }, `0+${n}x15`);
      hist('zeroshot_grpc_request_duration_seconds', { ...p, method, code }, S, n);
    }
    for (const encoder of ['image', 'text']) {
      const m = { ...p, model, encoder };
      hist('zeroshot_batch_size_items', m, ITEMS, 100);
      hist('zeroshot_batch_queue_wait_seconds', m, S, 100);
      hist('zeroshot_batch_inference_seconds', m, S, 100);
      add('zeroshot_batch_queue_depth_items', m, '0+1x15');
      add('zeroshot_batch_queue_capacity_items', m, '256x15');
      for (const reason of ['queue_full', 'deadline', 'cancelled']) add('zeroshot_batch_dropped_items_total', { ...m, reason }, '0+2x15');
    }
    hist('zeroshot_preprocess_duration_seconds', { ...p, model }, S, 200);
    add('zeroshot_label_cache_requests_total', { ...p, result: 'hit' }, '0+90x15');
    add('zeroshot_label_cache_requests_total', { ...p, result: 'miss' }, '0+10x15');
    add('zeroshot_label_cache_entries', p, '0+10x15');
    add('zeroshot_label_cache_size_bytes', p, '0+20480x15');
    add('zeroshot_label_cache_evictions_total', p, '0+1x15');
    add('zeroshot_label_sets', p, '3x15');
    add('zeroshot_model_ready', { ...p, model, version: '1', device: 'cuda:0' }, '1x15');
    add('zeroshot_device_memory_used_bytes', { ...p, model, device: 'cuda:0' }, '1073741824x15');
    add('jvm_memory_used_bytes', { ...p, area: 'heap', id: 'G1 Eden Space' }, '104857600x15');
    add('jvm_memory_used_bytes', { ...p, area: 'heap', id: 'G1 Old Gen' }, '52428800x15');
    add('jvm_memory_used_bytes', { ...p, area: 'nonheap', id: 'Metaspace' }, '31457280x15');
    add('process_cpu_usage', p, '0.25x15');
    add('jvm_gc_pause_seconds_sum', { ...p, action: 'end of minor GC', cause: 'G1 Evacuation Pause' }, '0+0.3x15');
    add('jvm_gc_pause_seconds_count', { ...p, action: 'end of minor GC', cause: 'G1 Evacuation Pause' }, '0+30x15');
    add('process_uptime_seconds', p, '0+60x15');
  }
  // another Java service scraped by the same Prometheus: must not leak into the JVM panels
  const other = { job: 'other-java-app', instance: '10.0.0.9:8080' };
  add('jvm_memory_used_bytes', { ...other, area: 'heap', id: 'G1 Old Gen' }, '1x15');
  add('process_cpu_usage', other, '0.5x15');
  add('process_uptime_seconds', other, '0+60x15');

  const lines = [
    '# generated by monitoring/check-dashboard.mjs: every dashboard expr must return >= 1 non-NaN sample',
    `rule_files: [${yamlStr(relative(dirname(resolve(testOut)), resolve(rulesOut)))}]`,
    'evaluation_interval: 1m',
    'tests:',
    '  - interval: 1m',
    '    input_series:',
    ...series,
    '    promql_expr_test:',
  ];
  for (const c of checked) {
    lines.push(`      # panel ${c.panel.id} "${c.panel.title}" target ${c.target.refId}`);
    lines.push(`      - expr: ${yamlStr(`count((${c.expr}) > -Inf) > bool 0`)}`);
    lines.push('        eval_time: 10m');
    lines.push('        exp_samples: [{labels: "{}", value: 1}]');
    // JVM/process panels: exactly the two zeroshot pods, not the other Java app
    if (/\bjvm_|\bprocess_/.test(c.expr)) {
      lines.push(`      - expr: ${yamlStr(`count(${c.expr})`)}`);
      lines.push('        eval_time: 10m');
      lines.push('        exp_samples: [{labels: "{}", value: 2}]');
    }
  }
  writeFileSync(testOut, lines.join('\n') + '\n');
}

for (const p of problems) console.error(`ERROR ${p}`);
console.log(`${relative(process.cwd(), dashboardPath) || dashboardPath}: ${checked.length} exprs parsed in ${[...allPanels(dashboard.panels)].filter((p) => p.targets?.length).length} panels, ${problems.length} problem(s)`);
process.exit(problems.length ? 1 : 0);
