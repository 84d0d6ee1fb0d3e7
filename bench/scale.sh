#!/usr/bin/env bash
# Scale benchmark of the command line (issue 17): generates ETL scripts of the given sizes, runs
# check (text, json, sarif), explain (json) and rewrite on each with a 256 MB heap, and prints the
# throughput and the peak resident memory (/usr/bin/time -v) of every run.
#
#   bench/scale.sh [MB...]            default: 100 1000 (MB of script); run from the project root
#   IAMGUARD_BENCH_DIR=/tmp/x ...     where the scripts go (default: target/scale)
#   IAMGUARD_BENCH_HEAP=256m ...      the -Xmx of every run
#   IAMGUARD_BENCH_COMMANDS="check-text check-json" ...   which runs (default: all)
#   IAMGUARD_BENCH_MIX=etl20|auth30 ...                     the statements (default: etl20)
#
# etl20: the cycle of InspectBenchmark.largeScript: batches of 20 statements of which 3 carry
# auth clauses (a COPY through the two-role chain, a COPY through the alias copy-unload, which is
# rewritten, an UNLOAD with IAM_ROLE default); every statement unique.
# auth30: cycles of 10 short statements, 3 of them auth-carrying (as README's 10,000-statement
# figure): COPY through the alias, COPY through the chain, UNLOAD with IAM_ROLE default.
# Needs target/iamguard-cli.jar (mvn -B -DskipTests package) and /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=target/iamguard-cli.jar
dir=${IAMGUARD_BENCH_DIR:-target/scale}
heap=${IAMGUARD_BENCH_HEAP:-256m}
commands=${IAMGUARD_BENCH_COMMANDS:-"check-text check-json check-sarif explain-json rewrite"}
mix=${IAMGUARD_BENCH_MIX:-etl20}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100 1000)
[ -f "$jar" ] || { echo "build first: mvn -B -DskipTests package" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
mkdir -p "$dir"

generate() { # $1 = MB, $2 = file, $3 = mix
  awk -v bytes=$(( $1 * 1024 * 1024 )) -v mix="$3" 'BEGIN {
    chain = "arn:aws:iam::123456789012:role/RoleA,arn:aws:iam::210987654321:role/RoleB";
    for (i = 1; written < bytes; i++) {
      if (mix == "auth30") {
        s = "-- load " i "\n";
        s = s "create table if not exists staging.sales_" i " (id bigint, sold date, amount decimal(12,2));\n";
        s = s "copy staging.sales_" i " from '\''s3://acmedata/redshift/sales/" i "/'\'' iam_role '\''copy-unload'\'' delimiter '\''|'\'' gzip;\n";
        s = s "copy venue from '\''s3://companyb/redshift/venue_pipe_" i "'\'' iam_role '\''" chain "'\'' csv ignoreheader 1;\n";
        s = s "insert into sales select s.id, s.sold, s.amount from staging.sales_" i " s join dates d on d.day = s.sold where s.amount > " i ";\n";
        s = s "select count(*) from sales where id = " i "; /* checked nightly */\n";
        s = s "update sales set amount = amount * 1.0" (i % 10) " where id = " i ";\n";
        s = s "delete from staging.sales_" i " where sold < current_date - " (i % 90) ";\n";
        s = s "unload ('\''select * from sales where id > " i "'\'') to '\''s3://acmedata/redshift/unload/sales_" i "_'\'' iam_role default parallel off;\n";
        s = s "analyze sales;\n";
        s = s "grant select on staging.sales_" i " to group etl;\n";
      } else { # etl20: the cycle of InspectBenchmark.largeScript, 20 statements a batch
        d = sprintf("2026-%02d-%02d", (i % 12) + 1, (i % 28) + 1);
        s = "-- batch " i ": load and publish\n";
        s = s "create temp table stage_" i " (like sales);\n";
        s = s "copy stage_" i " from '\''s3://companyb/redshift/sales/" d "/part_" i "'\'' iam_role '\''" chain "'\'' csv ignoreheader 1 dateformat '\''auto'\'';\n";
        s = s "delete from sales using stage_" i " s where sales.salesid = s.salesid;\n";
        s = s "insert into sales select * from stage_" i " where qtysold > " (i % 7) ";\n";
        s = s "update venue set venueseats = venueseats + " (i % 3) " where venueid = " i ";\n";
        s = s "/* quality check */ select count(*), sum(pricepaid) from sales where saletime::date = '\''" d "'\'';\n";
        s = s "copy venue_" i " from '\''s3://acmedata/redshift/venue/" i "/'\'' iam_role '\''copy-unload'\'' delimiter '\''|'\'' gzip;\n";
        s = s "analyze sales predicate columns;\n";
        s = s "insert into audit_log (batch, step, at) values (" i ", '\''loaded'\'', getdate());\n";
        s = s "create table if not exists daily_" i " as select venueid, sum(pricepaid) revenue from sales where saletime::date = '\''" d "'\'' group by venueid;\n";
        s = s "unload ('\''select v.venuename, d.revenue from daily_" i " d join venue v on v.venueid = d.venueid where d.revenue > " (i % 100) "'\'') to '\''s3://acmedata/redshift/unload/daily_" i "_'\'' iam_role default csv header parallel off;\n";
        s = s "drop table if exists stage_" i ";\n";
        s = s "grant select on daily_" i " to group analysts;\n";
        s = s "select venueid, venuename, '\''it'\'''\''s ok; -- not a comment'\'' note from venue where venueid in (" i ", " (i + 1) ", " (i + 2) ");\n";
        s = s "vacuum delete only sales to 75 percent;\n";
        s = s "insert into venue_summary select venuestate, count(*) from venue group by venuestate having count(*) > " (i % 5) ";\n";
        s = s "comment on table daily_" i " is '\''revenue per venue for " d "'\'';\n";
        s = s "select max(saletime) from sales where eventid = " i ";\n";
        s = s "commit;\n";
      }
      printf "%s", s;
      written += length(s);
    }
  }' > "$2"
}

run() { # $1 = label, $2 = file, rest = command
  local label=$1 file=$2; shift 2
  local log; log=$(mktemp)
  local start end code
  start=$(date +%s.%N)
  set +e
  /usr/bin/time -v java -Xmx$heap -jar "$jar" "$@" > /dev/null 2> "$log"
  code=$?
  set -e
  end=$(date +%s.%N)
  local mb seconds rss
  mb=$(awk -v b="$(stat -c %s "$file")" 'BEGIN { printf "%.0f", b / 1048576 }')
  seconds=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }')
  rss=$(awk '/Maximum resident set size/ { printf "%.0f", $NF / 1024 }' "$log")
  cpu=$(awk '/User time|System time/ { s += $NF } END { printf "%.2f", s }' "$log")
  printf "%-13s %6s MB  %7s s  %7.1f MB/s  cpu %7s s  peak RSS %5s MB  exit %s\n" "$label" "$mb" "$seconds" \
    "$(awk -v m="$mb" -v s="$seconds" 'BEGIN { print m / s }')" "$cpu" "$rss" "$code"
  if [ "$code" -ge 2 ]; then grep -v '^\s' "$log" | grep -v 'Command being timed' | head -5 >&2; fi
  rm -f "$log"
}

for mb in "${sizes[@]}"; do
  file="$dir/${mix}-${mb}mb.sql"
  [ -f "$file" ] && [ "$(stat -c %s "$file")" -ge $(( mb * 1024 * 1024 )) ] || generate "$mb" "$file" "$mix"
  guard=(--registry samples/registry.yaml --user user1)
  for c in $commands; do
    case $c in
      check-text) run check-text "$file" check "${guard[@]}" "$file" ;;
      check-json) run check-json "$file" check "${guard[@]}" --format json "$file" ;;
      check-sarif) run check-sarif "$file" check "${guard[@]}" --format sarif "$file" ;;
      explain-json) run explain-json "$file" explain --format json "$file" ;;
      rewrite) run rewrite "$file" rewrite "${guard[@]}" "$file" ;;
    esac
  done
done
