#!/usr/bin/env bash
# The figures of README "Issue 17", one command after the other (run on free cores, from the
# project root, after `mvn -B -Pbench -DskipTests package`): H2 overhead and allocation (3 forks;
# then in alternating rounds in one JVM), the guard's own work on a batch,
# Guard.inspect, the prefilter, the emulated COPY, what one inspection allocates (AllocationCensus)
# and what the no-auth path allocates beyond raw H2 (HotPathAllocation),
# then the real driver and the server identity round trip (IdentityBenchmark) on a throwaway
# PostgreSQL (bench/real-driver.sh). Appends to the file given
# (default: bench-issue17.txt).
set -uo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench-issue17.txt}
[ -f target/benchmarks.jar ] || { echo "build first: mvn -B -Pbench -DskipTests package" >&2; exit 2; }
echo "== $(date -u) load $(cat /proc/loadavg 2>/dev/null) commit $(git rev-parse --short HEAD 2>/dev/null)" >> "$out"
jmh() { java -jar target/benchmarks.jar "$@" 2>&1 | grep -E "^[A-Z][A-Za-z]*Benchmark\.|^Benchmark " | grep -v "gc.count\|gc.time\|alloc.rate " >> "$out"; }
jmh 'OverheadBenchmark.(raw|guarded)$' -f 3 -wi 3 -w 1 -i 5 -r 1 -tu ns -bm avgt -prof gc
# the same ratio in alternating rounds in one JVM: JMH's raw and guarded forks run minutes apart
java -cp target/benchmarks.jar dev.iamguard.bench.InterleavedOverhead 2>&1 | grep "^H2 SELECT 1" >> "$out"
# and under the parallel collector: most of what the guard costs on H2 under G1 is G1's write barrier
java -XX:+UseParallelGC -cp target/benchmarks.jar dev.iamguard.bench.InterleavedOverhead 2>&1 | grep "^H2 SELECT 1" >> "$out"
jmh 'BatchBenchmark' -f 3 -wi 5 -w 1 -i 5 -r 1 -tu ns -bm avgt
jmh 'InspectBenchmark|NewChainBenchmark' -f 1 -wi 3 -w 1 -i 5 -r 1 -tu us -bm avgt
jmh 'PrefilterBenchmark' -f 1 -wi 3 -w 1 -i 5 -r 1 -tu ns -bm avgt
jmh 'EmulatedCopyBenchmark' -f 1 -wi 3 -w 1 -i 5 -r 1 -tu us -bm avgt
census() { java -XX:+UnlockExperimentalVMOptions -XX:+UseEpsilonGC -Xmx8g -cp target/benchmarks.jar dev.iamguard.bench.AllocationCensus "$@" 2>&1 | grep "an inspection" >> "$out"; }
census copyChain 100000
census unloadWithQuery 100000
census largeScript 300
# what the no-auth path allocates beyond raw H2, class by class (exact: Epsilon, the thread's counter)
java -XX:+UnlockExperimentalVMOptions -XX:+UseEpsilonGC -Xmx4g -cp target/benchmarks.jar dev.iamguard.bench.HotPathAllocation 200000 2>&1 | grep -v "SLF4J\|warning" >> "$out"
IAMGUARD_BENCH_IDENTITY=1 bench/real-driver.sh 40 2>&1 | grep -v SLF4J >> "$out"
echo "== end $(date -u) load $(cat /proc/loadavg 2>/dev/null)" >> "$out"
cat "$out"
