'use strict';
/**
 * Node.js client for ZeroShot Serve (gRPC API zeroshot.v1, see
 * proto/src/main/proto/zeroshot/v1/zeroshot.proto in the repository).
 *
 * The .proto files are loaded from the repository at run time (../../proto/src/main/proto and
 * ../../proto/third_party, relative to this file), so the client always matches the checked-out
 * API. Field names are camelCase, 64-bit integers are Numbers, enums are strings and unset
 * fields read as their defaults.
 *
 * @module zeroshot-client
 */

const fs = require('node:fs');
const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

/** Directory holding zeroshot/v1/zeroshot.proto. */
const PROTO_DIR = path.resolve(__dirname, '..', '..', 'proto', 'src', 'main', 'proto');
/** Directory holding the third-party imports (google/rpc/status.proto). */
const THIRD_PARTY_DIR = path.resolve(__dirname, '..', '..', 'proto', 'third_party');

/** Options given to @grpc/proto-loader. */
const LOADER_OPTIONS = Object.freeze({
  keepCase: false, // model_version -> modelVersion
  longs: Number,
  enums: String,
  bytes: Buffer,
  defaults: true,
  arrays: true,
  objects: true,
  oneofs: true, // the name of the set oneof member, e.g. msg.result === 'error'
  includeDirs: [PROTO_DIR, THIRD_PARTY_DIR],
});

let cachedProto = null;

/**
 * Loads (once) and returns the zeroshot.v1 package object made by grpc.loadPackageDefinition.
 *
 * @returns {object} the `zeroshot.v1` namespace; `.ZeroShotService` is the service constructor.
 */
function loadProto() {
  if (cachedProto === null) {
    const definition = protoLoader.loadSync('zeroshot/v1/zeroshot.proto', LOADER_OPTIONS);
    cachedProto = grpc.loadPackageDefinition(definition).zeroshot.v1;
  }
  return cachedProto;
}

/** gRPC status number -> name, e.g. 3 -> "INVALID_ARGUMENT". */
const STATUS_NAMES = Object.fromEntries(
  Object.entries(grpc.status).filter(([, v]) => typeof v === 'number').map(([k, v]) => [v, k]),
);

/**
 * The name of a gRPC status code.
 *
 * @param {number} code numeric gRPC status code
 * @returns {string} e.g. "INVALID_ARGUMENT"; "UNKNOWN" for a number outside the enum
 */
function statusName(code) {
  return STATUS_NAMES[code] || 'UNKNOWN';
}

/**
 * Error raised (as a Promise rejection) by every Client call that fails.
 *
 * @property {string} code the gRPC status name, e.g. "INVALID_ARGUMENT", "NOT_FOUND", "UNAVAILABLE"
 * @property {number} grpcCode the numeric gRPC status code
 * @property {string} details the server's message (which field, what was expected)
 * @property {import('@grpc/grpc-js').Metadata|undefined} metadata the response trailers, if any
 */
class ZeroShotError extends Error {
  /**
   * @param {string} code gRPC status name
   * @param {string} details the status message
   * @param {object} [extra] `grpcCode`, `metadata`
   */
  constructor(code, details, extra = {}) {
    super(`${code}: ${details}`);
    this.name = 'ZeroShotError';
    this.code = code;
    this.details = details;
    this.grpcCode = extra.grpcCode !== undefined ? extra.grpcCode : grpc.status[code];
    this.metadata = extra.metadata;
  }
}

function fromGrpcError(err) {
  if (err instanceof ZeroShotError) return err;
  if (err && typeof err.code === 'number') {
    return new ZeroShotError(statusName(err.code), err.details || err.message, {
      grpcCode: err.code,
      metadata: err.metadata,
    });
  }
  return err;
}

function invalidArgument(message) {
  return new ZeroShotError('INVALID_ARGUMENT', message);
}

/**
 * One label's score.
 * @typedef {object} LabelScore
 * @property {string} label the label as given
 * @property {number} probability in [0, 1], by the model's scoring (softmax or sigmoid)
 * @property {number} cosine cosine similarity of input and label embeddings, in [-1, 1]
 */

/**
 * The answer of Client#classify.
 * @typedef {object} ClassifyResult
 * @property {LabelScore[]} scores best first
 * @property {string} model name of the model that answered
 * @property {string} modelVersion its version
 * @property {boolean} noMatch true when minScore was given and no label reached it
 * @property {string[]} warnings notes for people and logs (do not parse)
 */

/**
 * What to classify.
 * @typedef {object} ClassifyInput
 * @property {Buffer|Uint8Array|string} [image] the bytes of an encoded image file (JPEG, PNG,
 *   GIF, BMP, WebP), or the path of such a file
 * @property {string} [text] a text to classify instead of an image
 * @property {string[]} [labels] candidate labels (or use labelSet)
 * @property {string} [labelSet] name of a label set put on the server, instead of labels
 * @property {string} [template] prompt template with "{}" exactly once, e.g. "a photo of a {}"
 * @property {number} [topK] how many best labels to return; 0 or unset = all
 * @property {number} [minScore] leave out labels scoring below this (see the proto)
 * @property {string} [model] model name; unset = the server's default model
 */

function toResult(msg) {
  return {
    scores: msg.scores.map((s) => ({
      label: s.label,
      probability: s.probability,
      cosine: s.cosine,
    })),
    model: msg.model,
    modelVersion: msg.modelVersion,
    noMatch: msg.noMatch,
    warnings: msg.warnings,
  };
}

async function readImage(image, what) {
  if (typeof image === 'string') {
    try {
      return await fs.promises.readFile(image);
    } catch (e) {
      throw invalidArgument(`${what}: cannot read ${JSON.stringify(image)}: ${e.message}`);
    }
  }
  if (Buffer.isBuffer(image)) return image;
  if (image instanceof Uint8Array) return Buffer.from(image.buffer, image.byteOffset, image.byteLength);
  throw invalidArgument(`${what}: expected a Buffer or a file path, got ${typeof image}`);
}

async function toClassifyRequest(input) {
  if (input === null || typeof input !== 'object') {
    throw invalidArgument('classify input must be an object');
  }
  const hasImage = input.image !== undefined && input.image !== null;
  const hasText = input.text !== undefined && input.text !== null;
  if (hasImage === hasText) {
    throw invalidArgument('exactly one of image and text must be given');
  }
  const req = {
    model: input.model || '',
    labels: input.labels ? Array.from(input.labels) : [],
    labelSet: input.labelSet || '',
    promptTemplate: input.template || '',
    topK: input.topK || 0,
  };
  if (input.minScore !== undefined && input.minScore !== null) {
    req.minScore = { value: input.minScore };
  }
  if (hasImage) {
    req.image = { encoded: await readImage(input.image, 'image') };
  } else {
    req.text = String(input.text);
  }
  return req;
}

function toEmbeddings(msg) {
  return msg.embeddings.map((e) => Float32Array.from(e.values));
}

/**
 * A client of one ZeroShot Serve server. Create one and reuse it: it holds one HTTP/2 channel.
 *
 * @example
 * const { Client } = require('./clients/node');
 * const client = new Client('localhost:50051');
 * const r = await client.classify({ image: 'cat.jpg', labels: ['cat', 'dog'], template: 'a photo of a {}' });
 * console.log(r.scores[0].label);
 * client.close();
 */
class Client {
  /**
   * @param {string} [target="localhost:50051"] host:port of the server
   * @param {object} [options]
   * @param {boolean} [options.tls=false] use TLS (the system's trust roots unless caCert is given)
   * @param {Buffer|string} [options.caCert] PEM bytes or path of the CA certificate to trust;
   *   implies tls
   * @param {string} [options.token] bearer token, sent as "authorization: Bearer <token>"
   * @param {number} [options.timeoutMs=30000] deadline of each unary call; 0 = none. Streams
   *   have no deadline unless classifyStream is given one.
   * @param {number} [options.maxBatch=256] most images or texts sent per Embed call; longer
   *   lists are split (the server's max batch items defaults to 256)
   * @param {object} [options.channelOptions] extra grpc-js channel options
   */
  constructor(target = 'localhost:50051', options = {}) {
    const {
      tls = false,
      caCert,
      token,
      timeoutMs = 30000,
      maxBatch = 256,
      channelOptions = {},
    } = options;
    let credentials;
    if (tls || caCert) {
      const ca = caCert === undefined || caCert === null
        ? null
        : (typeof caCert === 'string' ? fs.readFileSync(caCert) : Buffer.from(caCert));
      credentials = grpc.credentials.createSsl(ca);
    } else {
      credentials = grpc.credentials.createInsecure();
    }
    /** @type {string} */
    this.target = target;
    /** @type {number} */
    this.timeoutMs = timeoutMs;
    this._token = token;
    this._maxBatch = maxBatch;
    const proto = loadProto();
    this._stub = new proto.ZeroShotService(target, credentials, {
      'grpc.max_receive_message_length': 64 * 1024 * 1024,
      'grpc.max_send_message_length': 64 * 1024 * 1024,
      ...channelOptions,
    });
  }

  /** Closes the channel. Calls made afterwards fail. */
  close() {
    this._stub.close();
  }

  _metadata() {
    const md = new grpc.Metadata();
    if (this._token) md.set('authorization', `Bearer ${this._token}`);
    return md;
  }

  _callOptions(timeoutMs) {
    const t = timeoutMs === undefined ? this.timeoutMs : timeoutMs;
    return t > 0 ? { deadline: new Date(Date.now() + t) } : {};
  }

  _unary(method, request, timeoutMs) {
    return new Promise((resolve, reject) => {
      this._stub[method](request, this._metadata(), this._callOptions(timeoutMs), (err, res) => {
        if (err) reject(fromGrpcError(err));
        else resolve(res);
      });
    });
  }

  /**
   * Scores one image or text against candidate labels (Classify RPC).
   *
   * @param {ClassifyInput} input what to classify and against which labels
   * @param {object} [options]
   * @param {number} [options.timeoutMs] this call's deadline instead of the client's
   * @returns {Promise<ClassifyResult>}
   * @throws {ZeroShotError} (as a rejection) with `.code` e.g. "INVALID_ARGUMENT", "NOT_FOUND"
   */
  async classify(input, options = {}) {
    const req = await toClassifyRequest(input);
    return toResult(await this._unary('classify', req, options.timeoutMs));
  }

  /**
   * Encodes images with the image tower (EmbedImages RPC), in calls of at most maxBatch.
   *
   * @param {Array<Buffer|Uint8Array|string>} images encoded image bytes or file paths
   * @param {object} [options]
   * @param {string} [options.model] model name; unset = the default model
   * @param {number} [options.timeoutMs] each call's deadline instead of the client's
   * @returns {Promise<Float32Array[]>} one L2-normalised embedding per image, in order
   */
  async embedImages(images, options = {}) {
    const list = Array.from(images);
    if (list.length === 0) throw invalidArgument('images: at least one image is needed');
    const encoded = await Promise.all(list.map((im, i) => readImage(im, `images[${i}]`)));
    const out = [];
    for (let i = 0; i < encoded.length; i += this._maxBatch) {
      const res = await this._unary('embedImages', {
        model: options.model || '',
        images: encoded.slice(i, i + this._maxBatch).map((b) => ({ encoded: b })),
      }, options.timeoutMs);
      out.push(...toEmbeddings(res));
    }
    return out;
  }

  /**
   * Encodes texts with the text tower (EmbedTexts RPC), in calls of at most maxBatch. No prompt
   * template is applied.
   *
   * @param {string[]} texts non-blank texts
   * @param {object} [options]
   * @param {string} [options.model] model name; unset = the default model
   * @param {number} [options.timeoutMs] each call's deadline instead of the client's
   * @returns {Promise<Float32Array[]>} one L2-normalised embedding per text, in order
   */
  async embedTexts(texts, options = {}) {
    const list = Array.from(texts, String);
    if (list.length === 0) throw invalidArgument('texts: at least one text is needed');
    const out = [];
    for (let i = 0; i < list.length; i += this._maxBatch) {
      const res = await this._unary('embedTexts', {
        model: options.model || '',
        texts: list.slice(i, i + this._maxBatch),
      }, options.timeoutMs);
      out.push(...toEmbeddings(res));
    }
    return out;
  }

  /**
   * Lists the server's models (ListModels RPC).
   *
   * @param {object} [options]
   * @param {number} [options.timeoutMs] this call's deadline instead of the client's
   * @returns {Promise<{models: object[], defaultModel: string, metricsPort: number}>} each model
   *   as ModelInfo in camelCase: name, version, dimension, imageSize, contextLength, device,
   *   ready, logitScale, family, scoring, logitBias, patchSize, maxPatches, preprocessMode,
   *   imagePrecision, textPrecision
   */
  async models(options = {}) {
    const res = await this._unary('listModels', {}, options.timeoutMs);
    return { models: res.models, defaultModel: res.defaultModel, metricsPort: res.metricsPort };
  }

  /**
   * Classifies many inputs over one bidirectional ClassifyStream call, for bulk work. Results
   * are yielded in input order; at most maxInFlight items are sent and unanswered at a time.
   *
   * An item that fails (on the server, or here, e.g. an unreadable image path) yields
   * `{error: {code, message}}` and the stream goes on. If the stream itself fails, the results
   * answered before are yielded and then the generator throws a ZeroShotError. Leaving the loop
   * early cancels the call. A stream the server ends with UNAVAILABLE after answering on it
   * (its --max-connection-age closes connections, by default after 5 min plus a 30 s grace) is
   * replaced by a new one, and the unanswered items are sent again.
   *
   * @param {Iterable<ClassifyInput>|AsyncIterable<ClassifyInput>} items the inputs
   * @param {object} [options]
   * @param {number} [options.maxInFlight=64] most items in flight at once
   * @param {number} [options.timeoutMs=0] deadline of the whole stream; 0 = none
   * @returns {AsyncGenerator<ClassifyResult|{error: {code: string, message: string}}>}
   */
  async *classifyStream(items, options = {}) {
    const { maxInFlight = 64, timeoutMs = 0 } = options;
    if (!(maxInFlight >= 1)) throw invalidArgument('maxInFlight must be at least 1');
    const iterator = items[Symbol.asyncIterator]
      ? items[Symbol.asyncIterator]()
      : items[Symbol.iterator]();
    const answers = new Map(); // index -> result
    const pending = new Map(); // index -> request: sent on the current stream, not answered
    let streamError = null;
    let ended = false;
    let wake = null;
    let answersOnThisStream = 0;
    let generation = 0; // events of a stream replaced by a newer one are ignored
    const notify = () => {
      if (wake) {
        const w = wake;
        wake = null;
        w();
      }
    };
    const open = () => {
      const gen = ++generation;
      const c = this._stub.classifyStream(this._metadata(), this._callOptions(timeoutMs));
      c.on('data', (msg) => {
        const index = Number(msg.requestId);
        if (gen !== generation || !pending.has(index)) return; // e.g. answered before a reopen
        pending.delete(index);
        answersOnThisStream++;
        if (msg.result === 'error') {
          answers.set(index, {
            error: { code: statusName(msg.error.code), message: msg.error.message },
          });
        } else {
          answers.set(index, toResult(msg.response));
        }
        notify();
      });
      c.on('error', (err) => {
        if (gen !== generation) return;
        streamError = fromGrpcError(err);
        notify();
      });
      c.on('end', () => {
        if (gen !== generation) return;
        ended = true;
        notify();
      });
      return c;
    };
    let call = open();
    const waitForEvent = () => new Promise((resolve) => {
      wake = resolve;
    });

    let sent = 0; // items taken from the iterator (sent, or answered here)
    let next = 0; // index of the next result to yield
    let exhausted = false;
    let finished = false;
    try {
      for (;;) {
        while (!exhausted && !streamError && sent - next < maxInFlight) {
          const { value, done } = await iterator.next();
          if (done) {
            exhausted = true;
            call.end();
            break;
          }
          const index = sent++;
          let request;
          try {
            request = await toClassifyRequest(value);
          } catch (e) {
            const err = fromGrpcError(e);
            answers.set(index, {
              error: { code: err.code || 'INVALID_ARGUMENT', message: err.details || String(err.message) },
            });
            continue;
          }
          pending.set(index, request);
          if (!call.write({ requestId: String(index), request })) {
            await new Promise((resolve) => {
              const done = () => {
                call.off('drain', done);
                call.off('error', done);
                resolve();
              };
              call.on('drain', done);
              call.on('error', done);
            });
          }
        }
        if (answers.has(next)) {
          const result = answers.get(next);
          answers.delete(next);
          next++;
          yield result;
          continue;
        }
        if (exhausted && next === sent) {
          finished = true;
          return;
        }
        if (streamError) {
          // The server's --max-connection-age ends a stream that outlives it (after a grace)
          // with UNAVAILABLE: open a new one and send the unanswered items again, unless this
          // stream answered nothing (then the server is down, and retrying would not end).
          if (streamError.code !== 'UNAVAILABLE' || answersOnThisStream === 0) throw streamError;
          streamError = null;
          ended = false;
          answersOnThisStream = 0;
          call = open();
          for (const index of [...pending.keys()].sort((a, b) => a - b)) {
            call.write({ requestId: String(index), request: pending.get(index) });
          }
          if (exhausted) call.end();
          continue;
        }
        if (ended) {
          throw new ZeroShotError('INTERNAL',
            `stream ended with ${sent - next} item(s) unanswered`);
        }
        await waitForEvent();
      }
    } finally {
      if (!finished && !ended && !streamError) call.cancel();
      if (!exhausted && typeof iterator.return === 'function') {
        try {
          await iterator.return();
        } catch (_) {
          // ignore
        }
      }
    }
  }
}

module.exports = {
  Client,
  ZeroShotError,
  loadProto,
  statusName,
  PROTO_DIR,
  THIRD_PARTY_DIR,
};
