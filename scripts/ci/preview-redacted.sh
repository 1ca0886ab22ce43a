#!/usr/bin/env bash
# A pull request's `pulumi preview` of one stack that holds no key of the stack (issue 23):
# against the redacted copy of its deployed state (npm run state:redact, kept by the deploy
# job), in a job-local DIY backend, with a passphrase made here and a random stand-in for every
# secure config value. No Pulumi Cloud token, no stack key: what the pull request's code can
# read is the redacted state, the stand-ins and whatever the job's read-only identities read.
#
# usage: scripts/ci/preview-redacted.sh <stack> <redacted state | -> [pulumi preview args...]
#   "-" previews a stack that was never deployed (every resource a create).
# Runs in the project directory and rewrites Pulumi.<stack>.yaml there (a CI checkout's copy).
# Only the preview writes to stdout (so `--json` prints one document); the set-up goes to stderr.
set -euo pipefail
stack="$1"
state="$2"
shift 2

work="$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/redacted-preview.XXXXXX")"
mkdir "$work/backend"
export PULUMI_BACKEND_URL="file://$work/backend"
unset PULUMI_ACCESS_TOKEN
PULUMI_CONFIG_PASSPHRASE="$(openssl rand -hex 32)"
export PULUMI_CONFIG_PASSPHRASE

mapfile -t secure_keys < <(npm run -s preview:stack-file -- --stack-file "Pulumi.$stack.yaml")
pulumi stack init "$stack" --secrets-provider passphrase --non-interactive >&2
for key in "${secure_keys[@]}"; do
  # On stdin: never in argv.
  openssl rand -hex 24 | pulumi config set --secret --path --stack "$stack" --non-interactive "$key"
done
if [ "$state" != "-" ]; then
  npm run -s state:redact -- --in "$state" --out "$work/import.json" \
    --passphrase-stack-file "Pulumi.$stack.yaml"
  pulumi stack import --stack "$stack" --file "$work/import.json" --non-interactive >&2
fi
# A preview persists nothing, but Pulumi 3.274's file backend still serializes and checks the
# whole snapshot after every step of it (then discards it): quadratic in the stack's size.
# PULUMI_SKIP_CHECKPOINTS keeps only the final, discarded one (docs/cost.md: 1,000 workloads,
# 109 s → 23 s). Never for up or destroy, where the checkpoints are what recovers a killed run.
PULUMI_SKIP_CHECKPOINTS=true pulumi preview --stack "$stack" --non-interactive "$@"
