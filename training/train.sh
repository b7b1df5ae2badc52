#!/usr/bin/env bash
# Trains the cross-encoder reranker on the engine's own candidate lists (training/README.md).
#   training/train.sh [options of python -m training.train]   the recipe (dump, train, evaluate, export)
#   training/train.sh --smoke                                  a tiny model on a few dozen synthetic pairs
# Installs training/requirements.txt into .venv-training and builds the release hybridrank when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv-training/bin/python ]; then
    python3 -m venv .venv-training
    .venv-training/bin/pip install -q -r training/requirements.txt
fi
if [ "${1:-}" = "--smoke" ]; then
    exec .venv-training/bin/python -m unittest discover -s training/tests -t . -v
fi
if ! printf '%s\n' "$@" | grep -q -E -- '^(--hybridrank|-h|--help)' && [ ! -x .build/release/hybridrank ]; then
    swift build -c release --product hybridrank
fi
[ -f .models/all-MiniLM-L6-v2/model.safetensors ] || scripts/fetch-models.sh
exec .venv-training/bin/python -m training.train "$@"
