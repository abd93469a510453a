#!/usr/bin/env bash
# The whole suite, unit → integration → end-to-end, one file at a time (media tests are CPU-heavy on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "typecheck and lint"
npx --no-install tsc --noEmit -p .
npx --no-install eslint .
files=()
for layer in unit integration e2e; do
  while IFS= read -r file; do files+=("$file"); done < <(find "test/$layer" -name '*.test.ts' | sort)
done
exec node --import tsx --test --test-concurrency=1 --test-timeout=180000 --test-force-exit "${files[@]}"
