// Validates every document of a rendered (multi-document) Kubernetes manifest against the
// kubernetes-models schemas, prometheus-operator CRDs included.
//
//   node validate.mjs <manifest.yaml>
//
// Exit 0: every object is valid. Exit 1: at least one object is invalid or of a kind we cannot
// validate (each printed to stderr). Exit 2: usage or unreadable file.
// Limitation: kubernetes-models does not reject unknown fields (typos such as `livenesProbe`).
import { readFileSync } from "node:fs";
import yaml from "js-yaml";

const file = process.argv[2];
if (!file) {
  console.error("usage: node validate.mjs <manifest.yaml>");
  process.exit(2);
}

let docs;
try {
  docs = yaml.loadAll(readFileSync(file, "utf8")).filter((d) => d != null);
} catch (e) {
  console.error(`${file}: ${e.message}`);
  process.exit(2);
}

// apiVersion "apps/v1" -> kubernetes-models/apps/v1, "v1" -> kubernetes-models/v1,
// "monitoring.coreos.com/v1" -> @kubernetes-models/prometheus-operator/monitoring.coreos.com/v1.
function modulePath(apiVersion) {
  if (apiVersion.startsWith("monitoring.coreos.com/")) {
    return `@kubernetes-models/prometheus-operator/${apiVersion}`;
  }
  return `kubernetes-models/${apiVersion}`;
}

let failures = 0;
for (const doc of docs) {
  const name = `${doc.apiVersion}/${doc.kind} ${doc.metadata?.name ?? "(no name)"}`;
  let Model;
  try {
    const mod = await import(modulePath(String(doc.apiVersion)));
    Model = mod[doc.kind];
  } catch (e) {
    Model = undefined;
  }
  if (typeof Model !== "function") {
    console.error(`${name}: no model for this apiVersion/kind`);
    failures++;
    continue;
  }
  try {
    new Model(doc).validate();
    console.log(`ok ${name}`);
  } catch (e) {
    console.error(`${name}: ${e.message}`);
    failures++;
  }
}
console.log(`${docs.length} objects, ${failures} invalid`);
process.exit(failures === 0 ? 0 : 1);
