#!/usr/bin/env bash
# usage: bash scripts/shared-env.sh <dir>
#
# Assembles, in <dir>, what the build scripts otherwise take from the team's ../shared: the
# pinned charts' sources (charts/) and the sources of the Node language host and the bridged
# providers the engine is built from (tools/, providers/), each fetched from its project's
# official repository at the commit its release tag names. ci.yml runs it where ../shared does
# not exist, then points SP_SHARED_DIR at <dir>.
#
# Nothing is trusted here: the consumers check what they read, the same way whichever the
# source: scripts/charts-env.sh every chart file against scripts/charts.sha256, and
# scripts/engine-env.sh every tool and provider tree against its pinned tree checksum. The
# copies are the repositories' files minus tests (and minus pulumi-vault's generated
# schema.json, which engine-env.sh generates), exactly what ../shared holds.
#
# SP_UPSTREAM_URL (default: GitHub) is a printf pattern for a repository's URL from its
# owner/name, e.g. file:///mirrors/%s for local mirrors.
set -euo pipefail
[ $# -eq 1 ] || {
  echo "usage: bash scripts/shared-env.sh <dir>" >&2
  exit 2
}
DEST=$1
URL=${SP_UPSTREAM_URL:-https://github.com/%s}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/shared-env.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# source <folder in DEST> <owner/name> <tag> <commit> <root> <sparse-checkout patterns...>
# The folder receives <root>'s files (and, when <root> is a subfolder, the repository's
# LICENSE if a pattern brings it), as of <commit>, which <tag> names; only the files the
# patterns select are fetched.
source_at() {
  local folder=$1 repo=$2 tag=$3 commit=$4 root=$5
  shift 5
  local co="$WORK/$(printf '%s' "$folder" | tr / _)"
  echo "shared-env: $folder <- $repo $tag ($commit)" >&2
  git init -q "$co"
  # shellcheck disable=SC2059 # the pattern is the user's URL template
  git -C "$co" remote add origin "$(printf "$URL" "$repo")"
  # A partial clone: blobs come on checkout, only for the selected files.
  git -C "$co" config remote.origin.promisor true
  git -C "$co" config remote.origin.partialclonefilter blob:none
  git -C "$co" fetch -q --depth 1 --filter=blob:none origin "$commit"
  [ "$(git -C "$co" rev-parse FETCH_HEAD)" = "$commit" ] || {
    echo "shared-env: $repo did not serve commit $commit" >&2
    exit 1
  }
  git -C "$co" sparse-checkout set --no-cone "$@"
  git -C "$co" checkout -q "$commit"
  rm -rf "${DEST:?}/$folder"
  mkdir -p "$DEST/$folder"
  tar -C "$co/$root" --exclude=./.git -cf - . | tar -C "$DEST/$folder" -xf -
  if [ "$root" != . ] && [ -f "$co/LICENSE" ]; then cp "$co/LICENSE" "$DEST/$folder/"; fi
}

# Charts (the versions stacks/charts.ts pins; folder names as scripts/charts-env.sh reads them).
source_at charts/vault-0.34.1 hashicorp/vault-helm v0.34.1 \
  aa1c92e4adddbce9660e536dfe5222a88eda6d52 . '/*'
source_at charts/external-secrets-2.9.0 external-secrets/external-secrets helm-chart-2.9.0 \
  cc5bfbc2234ace9cb0caff4ea89c435cf517b27b deploy/charts/external-secrets '/deploy/charts/external-secrets/'
source_at charts/eso-crds-2.9.0 external-secrets/external-secrets helm-chart-2.9.0 \
  cc5bfbc2234ace9cb0caff4ea89c435cf517b27b config/crds/bases '/config/crds/bases/'
source_at charts/reloader-2.2.16 stakater/Reloader chart-v2.2.16 \
  655a2b3814baadb69d3d1e105242d6cc8875d7cb deployments/kubernetes/chart/reloader \
  '/deployments/kubernetes/chart/reloader/'

# Engine sources (the versions scripts/engine-env.sh pins).
source_at tools/pulumi-language-nodejs-3.248.0 pulumi/pulumi v3.248.0 \
  a88168d865b7fd428e5a929cc54aeceaf72d203f sdk/nodejs/cmd/pulumi-language-nodejs \
  '/LICENSE' '/sdk/nodejs/cmd/pulumi-language-nodejs/' \
  '!/sdk/nodejs/cmd/pulumi-language-nodejs/*_test.go' '!/sdk/nodejs/cmd/pulumi-language-nodejs/testdata/'
source_at providers/pulumi-random-4.21.1 pulumi/pulumi-random v4.21.1 \
  f2d8b029d0f708bd14bad9479e016560de9c0b6d . \
  '/LICENSE' '/provider/' '!/provider/provider_program_test.go' '!/provider/test-programs/' '!/provider/testdata/'
source_at providers/pulumi-vault-7.8.0 pulumi/pulumi-vault v7.8.0 \
  971c307274a8347ee555f1003c93914be1ad2a83 . \
  '/LICENSE' '/provider/' '!/provider/provider_program_test.go' '!/provider/test-programs/' \
  '!/provider/cmd/pulumi-resource-vault/schema.json'
source_at providers/terraform-provider-vault-5.8.0 hashicorp/terraform-provider-vault v5.8.0 \
  91f91c5c7909dc221edd45ad48ea774dfaf6509c . '/*'

echo "shared-env: sources in $DEST (checked by scripts/charts-env.sh and scripts/engine-env.sh when they read them)" >&2
