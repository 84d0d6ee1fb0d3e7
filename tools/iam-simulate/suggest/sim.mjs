// Reads JSON lines on stdin, one request each:
//   {"id":..., "identity":[policy...], "resourcePolicy":policy|null, "principal":"arn or service",
//    "action":"s3:GetObject", "resource":"arn:...", "account":"123456789012", "context":{...}}
// Writes one JSON line per request: {"id":..., "result":"Allowed|ImplicitlyDenied|ExplicitlyDenied|error", "errors":...}
import { runSimulation } from '@cloud-copilot/iam-simulate'
import readline from 'node:readline'
const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity })
for await (const line of rl) {
  if (!line.trim()) continue
  const q = JSON.parse(line)
  const sim = {
    request: { principal: q.principal, action: q.action,
      resource: { resource: q.resource, accountId: q.account }, contextVariables: q.context || {} },
    identityPolicies: (q.identity || []).map((p, i) => ({ name: 'p' + i, policy: p })),
    serviceControlPolicies: [], resourceControlPolicies: [],
    resourcePolicy: q.resourcePolicy || undefined
  }
  let out
  try {
    const r = await runSimulation(sim, {})
    if (r.resultType === 'error') out = { id: q.id, result: 'error', errors: r.errors }
    else out = { id: q.id, result: r.overallResult }
  } catch (e) { out = { id: q.id, result: 'error', errors: String(e) } }
  process.stdout.write(JSON.stringify(out) + '\n')
}
