# Helpers shared by the scripts that build engines from source (engine-env.sh, kube-env.sh).
# Source it after setting:
#   TAG     the script's name in messages and logs (messages "<TAG>-env: ...", logs
#           $LOGS/<TAG>-<step>.log),
#   CACHE   the cache directory binaries are kept in,
#   LOGS    where build logs go,
#   RECIPE  a number to bump when a recipe changes what it builds (every cached binary is rebuilt).
# shellcheck shell=bash

# die <message>: the message, prefixed with the script's name, on stderr; exit 1.
die() {
  echo "$TAG-env: $*" >&2
  exit 1
}

# tree_sum <dir>: sha256 over `sha256sum` of every file, sorted by path.
tree_sum() { (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-64); }

# module_dir <module@version>: the module's directory in the Go module cache, downloaded (and
# checked against the Go checksum database) by the go command.
module_dir() { go mod download -json "$1" | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["Dir"]) if "Dir" in d else sys.exit(d.get("Error", "no Dir"))'; }

# writable_copy <src> <dst>: a copy the build may edit (module cache files are read-only).
writable_copy() {
  mkdir -p "$(dirname "$2")"
  cp -r "$1" "$2"
  chmod -R u+w "$2"
}

# measured <command...>: runs the command; with GNU time installed, its elapsed time and peak
# memory (the largest process of the build, usually the linker) go to stderr, the step's log.
measured() {
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "measured: %e s elapsed, %M KB peak memory (${!#})" "$@"
  else
    "$@"
  fi
}

# cached <step> <binary name> <version> <source key> <build function>: prints the cached
# binary's path, building it first when absent. The build function gets a scratch directory
# and the path to write the binary to; it runs under `set -ex` with its output in
# $LOGS/<TAG>-<step>.log. Builds go to the scratch directory and are moved into the cache only
# when complete: a failed step names itself and its log, and installs nothing.
# cache_path <binary name> <version> <source key>: where `cached` keeps that build.
cache_path() {
  echo "$CACHE/$1/$2-$(printf '%s' "$3:$RECIPE" | sha256sum | cut -c1-16)/$1"
}

cached() {
  local step=$1 name=$2 version=$3 key=$4 build=$5 dir out log work
  out="$(cache_path "$name" "$version" "$key")"
  dir="$(dirname "$out")"
  if [ ! -f "$out" ] || [ ! -x "$out" ]; then
    log="$LOGS/$TAG-$step.log"
    work="$(mktemp -d "$CACHE/.build-$step.XXXXXX")"
    echo "$TAG-env: building $step $version (log: $log)" >&2
    local started=$SECONDS
    # Not in an `if`: errexit must stay on inside the build.
    set +e
    (set -ex; "$build" "$work" "$work/$name") >"$log" 2>&1
    local rc=$?
    set -e
    if [ "$rc" -ne 0 ]; then
      chmod -R u+w "$work" 2>/dev/null
      rm -rf "$work"
      echo "$TAG-env: step '$step' failed; see $log" >&2
      tail -15 "$log" >&2
      exit 1
    fi
    [ -f "$work/$name" ] || die "step '$step' wrote no file $name; see $log"
    mkdir -p "$dir"
    mv "$work/$name" "$out.tmp" && mv "$out.tmp" "$out"
    chmod -R u+w "$work"
    rm -rf "$work"
    echo "$TAG-env: built $step $version in $((SECONDS - started)) s" >&2
  fi
  echo "$out"
}
