#!/usr/bin/env bash
# The guard through the real Redshift JDBC driver (issue 17): starts a throwaway PostgreSQL 15 from
# its installed binaries (trust authentication on 127.0.0.1 only, in a temporary folder removed at
# the end), runs dev.iamguard.jdbc.RealDriverComparison (raw and guarded rounds interleaved on one
# connection: SELECT 1, a prepared SELECT, a unique 2 KB SELECT, a 100-INSERT batch) and stops it.
#
#   bench/real-driver.sh [rounds]     default: 30 rounds per case; run from the project root
#   PGBIN=/usr/lib/postgresql/15/bin  where initdb and pg_ctl are
#   JAVA_OPTS="-XX:StartFlightRecording=filename=rd.jfr,settings=profile"  extra JVM options, e.g. a profile
#   IAMGUARD_BENCH_IDENTITY=1         then also JMH's IdentityBenchmark (the server identity round trip,
#                                     pgjdbc) against the same throwaway server
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
java ${JAVA_OPTS:-} -cp target/benchmarks.jar:target/test-classes dev.iamguard.jdbc.RealDriverComparison "$url" "$rounds"
if [ "${IAMGUARD_BENCH_IDENTITY:-0}" = 1 ]; then
  java -jar target/benchmarks.jar IdentityBenchmark -f 1 -wi 3 -w 1 -i 5 -r 1 -tu us -bm avgt \
    -jvmArgs "-Diamguard.bench.postgres=jdbc:postgresql://127.0.0.1:$port/postgres?user=postgres" 2>&1 \
    | grep -E "^(Benchmark|IdentityBenchmark)"
fi
