#!/usr/bin/env bash
# The whole suite, unit → integration → end-to-end, one file at a time (media tests are CPU-heavy on 2 cores),
# then a representative subset again on Node 24 (scripts/node24.sh; README "Supported runtimes"). NODE24=0 skips that pass.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "typecheck and lint"
npx --no-install tsc --noEmit -p .
npx --no-install eslint .
files=()
for layer in unit integration e2e; do
  while IFS= read -r file; do files+=("$file"); done < <(find "test/$layer" -name '*.test.ts' | sort)
done
run_tests() { "$1" --import tsx --test --test-concurrency=1 --test-timeout=180000 --test-force-exit "${@:2}"; }
run_tests node "${files[@]}"
[[ "${NODE24:-1}" == 0 ]] && exit 0
# Node 24: what depends on the runtime. Native modules (onnxruntime-node: intent, safety; koffi: espeak TTS;
# @napi-rs/canvas: the rig), worker threads and UDP (the ingest relay), the whole server on both SFU backends
# (werift 0.25 declares Node >= 22), Redis scripts, and a browser viewer end to end on each backend.
# About 2 minutes on 2 cores (measured); running every integration and e2e file twice would not fit the ~20 minute budget.
node24=$(bash scripts/node24.sh)
echo "again on Node $("$node24" --version): a representative subset"
run_tests "$node24" \
  test/unit/intent.test.ts test/unit/safety.test.ts test/unit/tts.test.ts test/unit/rig.test.ts \
  test/integration/ingestTrust.test.ts test/integration/redis.test.ts test/integration/auditLog.test.ts \
  test/integration/api.test.ts test/integration/werift/api.test.ts test/integration/audience.test.ts \
  test/e2e/viewer.test.ts test/e2e/werift/viewer.test.ts
