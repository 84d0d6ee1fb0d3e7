#!/usr/bin/env bash
# Runs `iamguard check` on the .sql (and .SQL) files changed since a base commit, or on the paths
# given. Used by the GitHub Action (action.yml); runs as well in any CI with git and Java 17.
#
#   IAMGUARD_JAR       the CLI jar (target/iamguard-cli.jar after `mvn package`)        required
#   IAMGUARD_REGISTRY  the role registry                                                 required
#   IAMGUARD_USER      the database user the scripts run as                              required
#   IAMGUARD_CLUSTER   the cluster id (when the registry has several)
#   IAMGUARD_BASE      the commit to compare HEAD with; when it is empty or not in the clone
#                      (a shallow checkout), the parent of HEAD; without one, every tracked file
#   IAMGUARD_PATHS     files or folders to check instead of the changed files (space-separated)
#   IAMGUARD_FORMAT    text (default), json or sarif
#   IAMGUARD_OUTPUT    a file for the report instead of standard output (e.g. iamguard.sarif)
#
# Exit code: iamguard's (0 nothing denied, 1 denied, 2 usage or registry error); 0 when no SQL
# file changed.
set -euo pipefail
: "${IAMGUARD_JAR:?set IAMGUARD_JAR to the iamguard CLI jar}"
: "${IAMGUARD_REGISTRY:?set IAMGUARD_REGISTRY to the role registry}"
: "${IAMGUARD_USER:?set IAMGUARD_USER to the database user the scripts run as}"

files=()
if [[ -n "${IAMGUARD_PATHS:-}" ]]; then
  read -r -a files <<< "$IAMGUARD_PATHS"
else
  base="${IAMGUARD_BASE:-}"
  if [[ -z "$base" || "$base" =~ ^0+$ ]] || ! git cat-file -e "${base}^{commit}" 2>/dev/null; then
    base="$(git rev-parse --verify --quiet 'HEAD~1^{commit}' || true)"
  fi
  if [[ -n "$base" ]]; then
    list=(git diff --name-only --diff-filter=ACMR -z "$base" HEAD -- '*.sql' '*.SQL')
  else
    list=(git ls-files -z -- '*.sql' '*.SQL')
  fi
  while IFS= read -r -d '' file; do # NUL-separated: any file name, and bash 3.2 (macOS runners) too
    files+=("$file")
  done < <("${list[@]}")
fi

if (( ${#files[@]} == 0 )); then
  echo "iamguard: no changed .sql files to check"
  exit 0
fi

args=(check --registry "$IAMGUARD_REGISTRY" --user "$IAMGUARD_USER")
if [[ -n "${IAMGUARD_CLUSTER:-}" ]]; then
  args+=(--cluster "$IAMGUARD_CLUSTER")
fi
if [[ -n "${IAMGUARD_FORMAT:-}" ]]; then
  args+=(--format "$IAMGUARD_FORMAT")
fi
if [[ -n "${IAMGUARD_OUTPUT:-}" ]]; then
  exec java -jar "$IAMGUARD_JAR" "${args[@]}" -- "${files[@]}" > "$IAMGUARD_OUTPUT"
fi
exec java -jar "$IAMGUARD_JAR" "${args[@]}" -- "${files[@]}"
