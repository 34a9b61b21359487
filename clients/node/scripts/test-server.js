'use strict';
// Test helper: starts a real ZeroShot Serve server (tiny-clip) on a free port, building the jar
// first if it is missing, and stops it again. Readiness is polled with a plain grpc-js stub, not
// the Client under test, so a broken Client fails its own tests rather than the start-up.

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const { loadProto } = require('..');

const REPO = path.resolve(__dirname, '..', '..', '..');
const JAR = path.join(REPO, 'server', 'target', 'zeroshot-server.jar');
const MODEL_DIR = path.join(REPO, 'models', 'tiny-clip');

function buildJarIfMissing() {
  if (fs.existsSync(JAR)) return;
  const base = ['-B', '-q', '-pl', 'server', '-am', 'package', '-DskipTests', '-Dspotless.check.skip'];
  for (const args of [['-o', ...base], base]) {
    const r = spawnSync('mvn', args, { cwd: REPO, stdio: 'inherit' });
    if (r.status === 0 && fs.existsSync(JAR)) return;
  }
  throw new Error(`could not build ${JAR}`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function listModelsRaw(stub) {
  return new Promise((resolve, reject) => {
    stub.listModels({}, { deadline: new Date(Date.now() + 2000) }, (err, res) => {
      if (err) reject(err);
      else resolve(res);
    });
  });
}

/**
 * Starts a server (with extraArgs added to its command line) and waits until every model is
 * ready.
 * @returns {Promise<{target: string, stop: () => Promise<void>, log: string}>}
 */
async function startServer({ timeoutMs = 180000, extraArgs = [] } = {}) {
  buildJarIfMissing();
  const port = await freePort();
  const log = path.join(os.tmpdir(), `zeroshot-node-test-${process.pid}-${port}.log`);
  const out = fs.openSync(log, 'w');
  const proc = spawn('java', ['-jar', JAR, '--host', '127.0.0.1', '--port', String(port),
    '--metrics-port', '-1', '--http-port', '-1', '--model-dir', MODEL_DIR, ...extraArgs],
  { cwd: REPO, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  let exited = null;
  const exitPromise = new Promise((resolve) => proc.on('exit', (code, signal) => {
    exited = { code, signal };
    resolve();
  }));
  const target = `127.0.0.1:${port}`;
  const stop = async () => {
    if (exited) return;
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 15000);
    await exitPromise;
    clearTimeout(timer);
  };
  const stub = new (loadProto().ZeroShotService)(target, grpc.credentials.createInsecure());
  const until = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (exited) {
        throw new Error(`server exited (${JSON.stringify(exited)}):\n${fs.readFileSync(log, 'utf8')}`);
      }
      try {
        const res = await listModelsRaw(stub);
        if (res.models.length > 0 && res.models.every((m) => m.ready)) break;
      } catch (_) {
        // not up yet
      }
      if (Date.now() > until) throw new Error(`server not ready after ${timeoutMs} ms; log ${log}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  } catch (e) {
    await stop();
    throw e;
  } finally {
    stub.close();
  }
  return { target, stop, log, repo: REPO };
}

module.exports = { startServer, REPO };
