#!/bin/sh
# Lets the simulator take a request resource that holds '*' as one concrete ARN (an S3 key may hold '*'):
# unpatched, iam-simulate 0.1.173 reads a '*' in the REQUEST resource as a pattern (resultType 'wildcard',
# and resource matching by pattern overlap), so "bkt/a*b" was allowed by a policy on "bkt/a${*}b/*".
# Only when IAMSIM_CONCRETE is set; idempotent.
set -e
D=${1:-target/iam-simulate/sim}/node_modules/@cloud-copilot/iam-simulate/dist/esm
sed -i "s/const resourceHasWildcard = resourceArn.includes('\*');/const resourceHasWildcard = process.env.IAMSIM_CONCRETE ? false : resourceArn.includes('*');/" $D/simulation_engine/simulationEngine.js
sed -i 's/    if (request.resource.hasWildcards() \&\& policyResource.isArnResource()) {/    if (!process.env.IAMSIM_CONCRETE \&\& request.resource.hasWildcards() \&\& policyResource.isArnResource()) {/' $D/resource/resource.js
grep -c IAMSIM_CONCRETE $D/simulation_engine/simulationEngine.js $D/resource/resource.js
