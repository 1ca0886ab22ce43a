# shellcheck shell=bash
# The AWS CLI the tests run (scripts/integration-env.sh) and the node's image of the Vault
# snapshot job's uploader (scripts/kube-node-env.sh) hold: v1 from PyPI, exactly this version.
AWSCLI_VERSION=1.45.11
