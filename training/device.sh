#!/usr/bin/env bash
# The recipe's full run, on a lent GPU machine, in one call (training/README.md, "On a GPU").
# Here first:  .venv-training/bin/python -m training.device pack
# Then the device tool's run with carry [".device"] and the command:  bash training/device.sh
# Back here:   .venv-training/bin/python -m training.device unpack <the folder $OUT came back to>
# The settings below were fixed before any GPU run (all groups of both training windows, three
# epochs, every layer trained, 16 groups a step); the held-out window is scored once, never tuned on.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${OUT:?OUT is the folder the device tool returns: run this on the lent machine}"
[ -f .device/lists.json.gz ] || { echo "no .device/lists.json.gz: run 'python -m training.device pack' here and carry .device" >&2; exit 2; }
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader || true
PYTHONUNBUFFERED=1 python3 -m training.device train --out "$OUT" \
    --epochs 3 --frozen-layers 0 --groups-per-step 16 --eval-lists 2000 --compare models/retail-reranker \
    "$@" 2>&1 | tr '\r' '\n' | tee "$OUT/log.txt" | awk '!/^(train|evaluate).*[0-9]+\/[0-9]+ \[/ || NR % 200 == 0'
