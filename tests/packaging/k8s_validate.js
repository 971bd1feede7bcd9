// k8s_validate.js MANIFEST_DIR NPM_DIR OUT_DIR: every document the
// kustomization lists, validated against the Kubernetes API schema
// (kubernetes-models: one class per apiVersion/kind, generated from the
// official OpenAPI document), then the promises the README makes about the
// DaemonSet checked one by one. What the shell test runs through the real
// tune (the ConfigMap's profile and tune.toml, the container's command and
// preStop hook) is written to OUT_DIR. One line per check; exit 1 on any FAIL.
'use strict';
const fs = require('fs');
const path = require('path');

const [manifestDir, npmDir, outDir] = process.argv.slice(2);
if (!manifestDir || !npmDir || !outDir) {
  console.error('usage: k8s_validate.js MANIFEST_DIR NPM_DIR OUT_DIR');
  process.exit(64);
}
const need = (name) => require(path.resolve(npmDir, 'node_modules', name));
const yaml = need('js-yaml');

let failures = 0;
const ok = (what) => console.log(`ok: ${what}`);
const fail = (what) => {
  console.log(`FAIL: ${what}`);
  failures++;
};
const check = (cond, what, why) => (cond ? ok(what) : fail(why ? `${what}: ${why}` : what));

// The schema validators read each property they know by name (and each key of
// a map), but accept properties they do not know, as the API server does
// without strict field validation. kubectl's strict mode rejects them, and a
// misspelt field (hostPid) silently loses its meaning: so every object is
// watched through a proxy, and a key the validator never read is unknown.
function watched(value, where, seen) {
  if (value === null || typeof value !== 'object') return value;
  const keys = new Set();
  seen.push({ where, value, keys });
  const children = Array.isArray(value) ? [] : {};
  for (const [key, child] of Object.entries(value)) children[key] = watched(child, `${where}/${key}`, seen);
  const target = Array.isArray(value) ? Object.assign([], children) : children;
  return new Proxy(target, {
    get(object, key, receiver) {
      if (typeof key === 'string') keys.add(key);
      return Reflect.get(object, key, receiver);
    },
  });
}

function modelClass(doc) {
  const [group, version] = doc.apiVersion.includes('/') ? doc.apiVersion.split('/') : [null, doc.apiVersion];
  const dir = group ? `${group}/${version}` : version;
  try {
    return need(`kubernetes-models/${dir}/${doc.kind}`)[doc.kind];
  } catch (error) {
    return null;
  }
}

function validate(doc, where) {
  const Model = modelClass(doc);
  if (!Model) return `no Kubernetes API type ${doc.apiVersion} ${doc.kind}`;
  const seen = [];
  const data = watched(doc, '', seen);
  try {
    Model.prototype.validate.call(data);
  } catch (error) {
    const first = (error.errors || [])[0];
    return first ? `${first.instancePath || '/'}: ${first.message}` : error.message;
  }
  for (const { where: at, value, keys } of seen) {
    if (Array.isArray(value)) continue;
    for (const key of Object.keys(value)) {
      if (!keys.has(key)) return `${at}/${key}: not a field of ${doc.apiVersion} ${doc.kind} at this place`;
    }
  }
  return null;
}

// ---- the documents the kustomization lists ----
const kustomizationPath = path.join(manifestDir, 'kustomization.yaml');
const kustomization = yaml.load(fs.readFileSync(kustomizationPath, 'utf8'));
const resources = kustomization.resources || [];
const onDisk = fs.readdirSync(manifestDir).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
const unlisted = onDisk.filter((f) => !resources.includes(f));
check(unlisted.length === 0, 'kustomization.yaml lists every manifest', `not listed: ${unlisted.join(', ')}`);

const docs = [];
for (const file of resources) {
  let loaded;
  try {
    loaded = yaml.loadAll(fs.readFileSync(path.join(manifestDir, file), 'utf8'));
  } catch (error) {
    fail(`${file}: ${error.message.split('\n')[0]}`);
    continue;
  }
  loaded.filter((doc) => doc !== null).forEach((doc, index) => {
    const where = `${file}#${index + 1} (${doc.kind} ${doc.metadata && doc.metadata.name})`;
    const error = validate(doc, where);
    check(!error, `${where} is valid against the Kubernetes API schema`, error);
    docs.push(doc);
  });
}
const find = (kind) => docs.filter((doc) => doc.kind === kind);

// ---- the promises ----
const [ns] = find('Namespace');
const [cm] = find('ConfigMap');
const [ds] = find('DaemonSet');
const [sa] = find('ServiceAccount');
if (!ns || !cm || !ds || !sa) {
  fail('the manifests hold a Namespace, a ConfigMap, a ServiceAccount and a DaemonSet');
  process.exit(1);
}
const namespaced = docs.filter((doc) => doc.kind !== 'Namespace');
const strays = namespaced.filter((doc) => doc.metadata.namespace !== ns.metadata.name);
check(strays.length === 0, `every object lives in namespace ${ns.metadata.name}`,
  strays.map((doc) => `${doc.kind} ${doc.metadata.name}`).join(', '));

const pod = ds.spec.template.spec;
const [container] = pod.containers;
const sc = container.securityContext || {};
check(pod.serviceAccountName === sa.metadata.name && sa.automountServiceAccountToken === false &&
  pod.automountServiceAccountToken === false, 'the pod runs as its own ServiceAccount, without an API token');
const label = (pod.nodeSelector || {})['tune.dev/profile'];
check(Boolean(label), 'nodeSelector picks nodes by the label tune.dev/profile', JSON.stringify(pod.nodeSelector));
check(pod.hostNetwork === true, 'hostNetwork: net.* sysctls are written in the node\'s network namespace');
check(pod.hostPID !== true, 'hostPID is off: the node\'s procfs is mounted, no PID namespace is shared');
check(sc.privileged !== true && sc.allowPrivilegeEscalation === false, 'not privileged, no privilege escalation');
check(JSON.stringify((sc.capabilities || {}).drop) === '["ALL"]' && !(sc.capabilities || {}).add,
  'every capability dropped, none added', JSON.stringify(sc.capabilities));
check(sc.readOnlyRootFilesystem === true, 'readOnlyRootFilesystem');
check(sc.runAsUser === 0, 'runs as root (the node\'s root-owned files)');
const res = container.resources || {};
check(Boolean(res.requests && res.requests.cpu && res.requests.memory && res.limits && res.limits.cpu &&
  res.limits.memory), 'resources: cpu and memory requests and limits');
const strategy = ds.spec.updateStrategy || {};
check(strategy.type === 'RollingUpdate' && String((strategy.rollingUpdate || {}).maxUnavailable) === '1',
  'updateStrategy RollingUpdate, maxUnavailable 1');
check((pod.terminationGracePeriodSeconds || 30) >= 60, 'terminationGracePeriodSeconds leaves the rollback a minute');

// Each hostPath volume appears under /host at its own path, so a tune
// rooted at /host finds the node's file where the node has it.
const volumes = Object.fromEntries(pod.volumes.map((v) => [v.name, v]));
const mounts = container.volumeMounts;
const hostMounts = {};
for (const mount of mounts) {
  const volume = volumes[mount.name];
  if (!volume) {
    fail(`volumeMount ${mount.name} has a volume`);
    continue;
  }
  if (volume.hostPath) {
    check(mount.mountPath === `/host${volume.hostPath.path}`, `hostPath ${volume.hostPath.path} is mounted at /host${volume.hostPath.path}`,
      `mounted at ${mount.mountPath}`);
    hostMounts[volume.hostPath.path] = mount.readOnly ? 'ro' : 'rw';
  }
}
for (const p of ['/proc', '/sys', '/etc', '/var/lib/tune', '/run/lock']) {
  check(hostMounts[p] === 'rw', `the node's ${p} is mounted writable`, hostMounts[p] || 'not mounted');
}
for (const p of ['/usr', '/lib', '/run/systemd']) {
  check(hostMounts[p] === 'ro', `the node's ${p} is mounted read-only`, hostMounts[p] || 'not mounted');
}
check(!hostMounts['/'], 'the node\'s / is not mounted whole');

// The ConfigMap: every key a volume projects exists, and what the container
// reads is written out for the real tune.
const projected = {};
for (const volume of pod.volumes.filter((v) => v.configMap)) {
  check(volume.configMap.name === cm.metadata.name, `volume ${volume.name} projects ConfigMap ${cm.metadata.name}`);
  for (const item of volume.configMap.items || []) {
    check(item.key in cm.data, `ConfigMap key ${item.key} exists`);
    const mount = mounts.find((m) => m.name === volume.name);
    if (mount) projected[path.posix.join(mount.mountPath, item.path)] = cm.data[item.key];
  }
}
check('/host/etc/tune/tune.toml' in projected, 'tune.toml is mounted where tune --root /host reads it');
const env = Object.fromEntries((container.env || []).map((e) => [e.name, e.value]));
const script = (container.command || []).concat(container.args || []);
check(script[0] === '/bin/sh' && script[1] === '-c' && script.length === 3, 'the container runs one shell script');
const main = script[2] || '';
check(/tune --root \/host [^\n]*apply --yes --json -p "\$TUNE_PROFILE"/.test(main),
  'the container applies $TUNE_PROFILE to /host with --yes --json');
const dirs = [...main.matchAll(/--profiles-dir (\S+)/g)].map((m) => m[1]);
const profileFile = dirs.length ? path.posix.join(dirs[0], `${env.TUNE_PROFILE}.yaml`) : '';
check(profileFile in projected, `profile ${env.TUNE_PROFILE} is in the ConfigMap, on --profiles-dir`, profileFile);
check(/verify --detailed-exitcode/.test(main), 'the container re-verifies with verify --detailed-exitcode');
const preStop = ((container.lifecycle || {}).preStop || {}).exec || {};
const stop = (preStop.command || []).join(' ');
check(/tune --root \/host rollback --all\b/.test(stop), 'preStop rolls back everything applied on /host', stop);
const probe = ((container.readinessProbe || {}).exec || {}).command || [];
const readyFile = probe[0] === 'test' && probe[1] === '-f' ? probe[2] : '';
check(Boolean(readyFile) && main.includes(`touch ${readyFile}`) && stop.includes(`rm -f ${readyFile}`),
  'ready once applied: the probe tests the file the script touches after apply and preStop removes');
const readyMount = mounts.find((m) => readyFile.startsWith(`${m.mountPath}/`));
check(Boolean(readyMount) && volumes[readyMount.name].emptyDir, 'the readiness file lives on a writable emptyDir');

// IPC sysctls belong to the IPC namespace: a profile setting them needs hostIPC.
const profileText = projected[profileFile] || '';
const ipc = /^\s*(kernel\.(shm|msg|sem)\w*|fs\.mqueue\.\w+)\s*:/m.test(profileText);
check(!ipc || pod.hostIPC === true, 'hostIPC is on whenever the profile sets IPC sysctls');

fs.mkdirSync(path.join(outDir, 'profiles'), { recursive: true });
for (const [file, text] of Object.entries(projected)) {
  if (file.startsWith(`${dirs[0]}/`)) fs.writeFileSync(path.join(outDir, 'profiles', path.basename(file)), text);
}
fs.writeFileSync(path.join(outDir, 'tune.toml'), projected['/host/etc/tune/tune.toml'] || '');
fs.writeFileSync(path.join(outDir, 'main.sh'), main);
fs.writeFileSync(path.join(outDir, 'prestop.sh'), preStop.command ? preStop.command[2] || '' : '');
fs.writeFileSync(path.join(outDir, 'env'), `TUNE_PROFILE=${env.TUNE_PROFILE}\nREADY=${readyFile}\n` +
  `PROFILES_DIR=${dirs[0] || ''}\n`);
process.exit(failures ? 1 : 0);
