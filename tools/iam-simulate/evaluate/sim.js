// Second opinion: reads JSON lines {id, mode, policy, action, resource, principal, context} on stdin,
// prints {id, sim, valid, errors} per line. mode "identity": the policy is the role's identity policy,
// sim is identityAnalysis.result. mode "trust": the policy is the role's trust policy (a resource
// policy on the role), sim is resourceAnalysis.result. Run from a directory where
// @cloud-copilot/iam-simulate is installed (NODE_PATH, or run from the folder npm installed it in).
const path = require('path');
const base = path.join(path.dirname(require.resolve('@cloud-copilot/iam-simulate')), '/');
const { authorize } = require(base + 'core_engine/CoreSimulatorEngine.js');
const { AwsRequestImpl } = require(base + 'request/request.js');
const { RequestContextImpl } = require(base + 'requestContext.js');
const { DiscoveryContextKeyConstraints } = require(base + 'context_keys/discoveryContextKeyConstraints.js');
const policyLib = require('@cloud-copilot/iam-policy');
const readline = require('readline');
const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on('line', (line) => {
  if (!line.trim()) return;
  const c = JSON.parse(line);
  const out = { id: c.id, cls: c.cls, features: c.features, guard: c.guard, notes: c.notes };
  try {
    const validate = c.mode === 'trust' ? policyLib.validateTrustPolicy : policyLib.validateIdentityPolicy;
    const errs = validate(c.policy);
    out.valid = errs.length === 0;
    if (errs.length) out.errors = errs.map((e) => e.message).slice(0, 3);
  } catch (e) {
    out.valid = false;
    out.errors = ['validator threw: ' + e.message];
  }
  try {
    const principal = c.principal || 'arn:aws:sts::111122223333:assumed-role/RedshiftRole/session';
    const ctx = new RequestContextImpl(c.context || {});
    const request = new AwsRequestImpl(principal,
      { resource: c.resource, accountId: c.resourceAccount || '111122223333' }, c.action, ctx);
    const policy = policyLib.loadPolicy(c.policy, { name: 'p' });
    const analysis = authorize({
      request,
      sessionPolicy: undefined,
      identityPolicies: c.mode === 'trust' ? [] : [policy],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: c.mode === 'trust' ? policy : undefined,
      permissionBoundaries: undefined,
      vpcEndpointPolicies: undefined,
      simulationParameters: { simulationMode: 'Strict',
        discoveryContextKeyConstraints: new DiscoveryContextKeyConstraints([]) },
      serviceSettings: { s3: { blockPublicAccess: undefined } }
    });
    if (process.env.SIM_DEBUG) console.error(JSON.stringify(analysis).slice(0, 1500));
    const a = analysis;
    out.overall = a.result;

    out.sim = c.mode === 'trust' ? a.resourceAnalysis && a.resourceAnalysis.result
      : a.identityAnalysis && a.identityAnalysis.result;
  } catch (e) {
    out.sim = 'THREW';
    out.errors = (out.errors || []).concat(['sim threw: ' + e.message]);
  }
  process.stdout.write(JSON.stringify(out) + '\n');
});
