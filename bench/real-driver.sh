#!/usr/bin/env bash
# The guard through the real Redshift JDBC driver (issue 17): starts a throwaway PostgreSQL 15 from
# its installed binaries (trust authentication on 127.0.0.1 only, in a temporary folder removed at
# the end), runs dev.iamguard.jdbc.RealDriverComparison (raw and guarded rounds interleaved on one
# connection: SELECT 1, a prepared SELECT, a unique 2 KB SELECT, a 100-INSERT batch) and stops it.
#
#   bench/real-driver.sh [rounds]     default: 30 rounds per case; run from the project root
#   FORKS=3                           JVMs run one after the other (default 3): each prints its table,
#                                     then a summary gives per case the median over the JVMs of the
#                                     wall ratio and the extra CPU time, and their range. One JVM is
#                                     one draw: its hot thread stays on one CPU, and a virtual
#                                     machine's CPUs may run at different speeds that change within
#                                     minutes (on the development host up to half apart; the batch's
#                                     extra CPU ranged from +4 to +36 us a batch over eight JVMs).
#                                     So a speed check of each CPU (sha256sum of 100 MB, pinned with
#                                     taskset where it is installed) is printed before and after the
#                                     JVMs run
#   PGBIN=/usr/lib/postgresql/15/bin  where initdb and pg_ctl are
#   JAVA_OPTS="-XX:StartFlightRecording=filename=rd.jfr,settings=profile"  extra JVM options, e.g. a profile
#   IAMGUARD_BENCH_IDENTITY=1         then also JMH's IdentityBenchmark (the server identity round trip,
#                                     through pgjdbc and the Redshift driver) against the same server
#
# Needs target/benchmarks.jar and target/test-classes (mvn -B -Pbench -DskipTests package): the
# driver's startup packet is rewritten by the tests' StartupRewritingSocketFactory, as
# reference/real-driver-testing.md describes (PostgreSQL refuses the driver's extra parameters).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-30}
pgbin=${PGBIN:-/usr/lib/postgresql/15/bin}
[ -f target/benchmarks.jar ] && [ -d target/test-classes ] || { echo "build first: mvn -B -Pbench -DskipTests package" >&2; exit 2; }
[ -x "$pgbin/initdb" ] || { echo "no PostgreSQL binaries in $pgbin (apt-get install postgresql)" >&2; exit 2; }
dir=$(mktemp -d)
as_pg=()
if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir"; as_pg=(runuser -u postgres --); fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
stop() { "${as_pg[@]}" "$pgbin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true; rm -rf "$dir"; }
trap stop EXIT
"${as_pg[@]}" "$pgbin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
cat >> "$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 start >/dev/null
url="jdbc:redshift://127.0.0.1:$port/postgres?user=postgres&ssl=false&socketFactory=dev.iamguard.jdbc.StartupRewritingSocketFactory"
# seconds each CPU takes for the same work: CPUs far apart make the JVMs' figures differ as much
cpu_check() {
  command -v taskset >/dev/null || { echo "CPU speed check ($1): no taskset"; return; }
  local line="CPU speed check ($1), seconds for sha256sum of 100 MB:" cpu start
  for cpu in $(seq 0 $(($(nproc) - 1))); do
    start=$(date +%s%N)
    taskset -c "$cpu" sh -c 'head -c 100000000 /dev/zero | sha256sum >/dev/null'
    line="$line cpu$cpu $(awk -v ns=$(($(date +%s%N) - start)) 'BEGIN { printf "%.2f", ns / 1e9 }')"
  done
  echo "$line"
}
cpu_check before
forks=${FORKS:-3}
[[ "$forks" =~ ^[1-9][0-9]*$ ]] || { echo "FORKS must be a positive number, not '$forks'" >&2; exit 2; }
tables="$dir/tables"
for ((fork = 1; fork <= forks; fork++)); do
  echo "JVM $fork of $forks"
  java ${JAVA_OPTS:-} -cp target/benchmarks.jar:target/test-classes dev.iamguard.jdbc.RealDriverComparison "$url" "$rounds" \
    | tee -a "$tables"
done
cpu_check after
# per case: the median over the JVMs of the wall ratio (column 4) and the extra CPU (column 8)
awk -v forks="$forks" '
  function median(list,   n, v, i, j, t) {
    n = split(list, v, " ")
    for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
    return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
  }
  function low(list,   n, v, i, m) { n = split(list, v, " "); m = v[1]; for (i = 2; i <= n; i++) if (v[i] + 0 < m + 0) m = v[i]; return m }
  function high(list,   n, v, i, m) { n = split(list, v, " "); m = v[1]; for (i = 2; i <= n; i++) if (v[i] + 0 > m + 0) m = v[i]; return m }
  $1 ~ /^(select1|prepared|unique2k|batch100|raw\/raw)$/ {
    if (!($1 in ratio)) order[++cases] = $1
    ratio[$1] = ratio[$1] " " $4; cpu[$1] = cpu[$1] " " $8
  }
  END {
    printf "summary over %d JVMs: median (lowest to highest)\n", forks
    printf "%-10s %26s %32s\n", "case", "wall ratio", "extra cpu us"
    for (i = 1; i <= cases; i++) {
      c = order[i]
      printf "%-10s %8.4f (%.4f to %.4f) %10.2f (%.2f to %.2f)\n", c, median(ratio[c]), low(ratio[c]), high(ratio[c]),
        median(cpu[c]), low(cpu[c]), high(cpu[c])
    }
  }' "$tables"
if [ "${IAMGUARD_BENCH_IDENTITY:-0}" = 1 ]; then
  # through pgjdbc, then through the Redshift driver (whose URL needs the tests' socket factory)
  for each in "jdbc:postgresql://127.0.0.1:$port/postgres?user=postgres" "$url"; do
    echo "IdentityBenchmark through ${each%%://*}"
    java -cp target/benchmarks.jar:target/test-classes org.openjdk.jmh.Main IdentityBenchmark \
      -f 1 -wi 3 -w 1 -i 5 -r 1 -tu us -bm avgt -jvmArgs "-Diamguard.bench.postgres=$each" 2>&1 \
      | grep -E "^(Benchmark|IdentityBenchmark)"
  done
fi
