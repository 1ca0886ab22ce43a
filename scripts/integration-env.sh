#!/usr/bin/env bash
# Installs and starts the real engines the integration tests run against, on 127.0.0.1:
# PostgreSQL (5432), MariaDB (3306) and the moto server as the Secrets Manager API (5055);
# the AWS CLI in a virtual environment of its own (the Vault snapshot job's uploader, on PATH
# through .integration/tools/bin). Then Helm, the pinned charts' sources, Vault, the Pulumi
# engine, a one-node Kubernetes and the
# External Secrets Operator controller (charts-env.sh, vault-env.sh, engine-env.sh, kube-env.sh,
# eso-env.sh, kube-node-env.sh; the controller is built, not started). Re-running
# reuses running servers. Writes the connection settings, with a freshly generated admin
# password, to .integration/env (git-ignored); tests read the same variables from the
# environment first.
set -euo pipefail
cd "$(dirname "$0")/.."
STATE=.integration
mkdir -p "$STATE"
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
as_postgres() { if [ -z "$SUDO" ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }

need_apt=()
command -v pg_ctlcluster >/dev/null || need_apt+=(postgresql)
command -v mariadbd >/dev/null || [ -x /usr/sbin/mariadbd ] || need_apt+=(mariadb-server)
# The Vault initialisation test encrypts recovery shares to operators' PGP keys.
command -v gpg >/dev/null || need_apt+=(gnupg)
if [ ${#need_apt[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ -f "$STATE/env" ]; then
  # shellcheck disable=SC1091
  . "$STATE/env"
else
  SP_DB_ADMIN_USER=sp_admin
  SP_DB_ADMIN_PASSWORD="$(openssl rand -hex 24)"
fi

# PostgreSQL: the Debian cluster, password logins over TCP.
PG_VERSION="$(ls /etc/postgresql | sort -n | tail -1)"
$SUDO pg_ctlcluster "$PG_VERSION" main start 2>/dev/null || true
for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 0.5; done
pg_isready -h 127.0.0.1 -p 5432 -q
# The password reaches psql and mariadb on stdin (heredocs), never as an argument: the process
# list shows arguments. It is hex, so it needs no quoting inside the SQL.
as_postgres psql -q -v ON_ERROR_STOP=1 <<SQL
\\set user '$SP_DB_ADMIN_USER'
\\set pw '$SP_DB_ADMIN_PASSWORD'
SELECT format('CREATE ROLE %I LOGIN SUPERUSER CREATEROLE', :'user')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'user') \gexec
SELECT format('ALTER ROLE %I PASSWORD %L', :'user', :'pw') \gexec
SQL

# MariaDB: the Debian server, an admin that may grant.
if ! mariadb-admin ping --silent 2>/dev/null; then
  $SUDO service mariadb start >/dev/null 2>&1 || $SUDO service mysql start >/dev/null
fi
for _ in $(seq 1 30); do mariadb-admin ping --silent 2>/dev/null && break; sleep 0.5; done
$SUDO mariadb <<SQL
CREATE USER IF NOT EXISTS '${SP_DB_ADMIN_USER}'@'127.0.0.1' IDENTIFIED BY '${SP_DB_ADMIN_PASSWORD}';
ALTER USER '${SP_DB_ADMIN_USER}'@'127.0.0.1' IDENTIFIED BY '${SP_DB_ADMIN_PASSWORD}';
GRANT ALL PRIVILEGES ON *.* TO '${SP_DB_ADMIN_USER}'@'127.0.0.1' WITH GRANT OPTION;
SQL

# moto as the Secrets Manager API, in its own virtual environment.
if [ ! -x "$STATE/venv/bin/moto_server" ]; then
  python3 -m venv "$STATE/venv"
  "$STATE/venv/bin/pip" install -q 'moto[server]==5.2.5'
fi
if ! curl -sf -o /dev/null http://127.0.0.1:5055/moto-api/ 2>/dev/null; then
  nohup "$STATE/venv/bin/moto_server" -H 127.0.0.1 -p 5055 >"$STATE/moto.log" 2>&1 &
  echo $! >"$STATE/moto.pid"
  for _ in $(seq 1 60); do curl -sf -o /dev/null http://127.0.0.1:5055/moto-api/ && break; sleep 0.5; done
fi
curl -sf -o /dev/null http://127.0.0.1:5055/moto-api/

# The AWS CLI, the uploader the Vault snapshot job runs (test/integration/vault/live/transit-cluster):
# its own virtual environment (it pins botocore exactly, which moto's must not follow), and a
# directory holding only `aws` for PATH.
# shellcheck source-path=SCRIPTDIR source=lib/aws-cli.sh
. scripts/lib/aws-cli.sh
if [ "$("$STATE/awscli/bin/aws" --version 2>&1 | cut -d' ' -f1)" != "aws-cli/$AWSCLI_VERSION" ]; then
  python3 -m venv "$STATE/awscli"
  "$STATE/awscli/bin/pip" install -q "awscli==$AWSCLI_VERSION"
fi
mkdir -p "$STATE/tools/bin"
ln -sfn "$PWD/$STATE/awscli/bin/aws" "$STATE/tools/bin/aws"

umask 077
cat >"$STATE/env" <<ENV
SP_DB_ADMIN_USER=$SP_DB_ADMIN_USER
SP_DB_ADMIN_PASSWORD=$SP_DB_ADMIN_PASSWORD
SP_PG_HOST=127.0.0.1
SP_PG_PORT=5432
SP_MYSQL_HOST=127.0.0.1
SP_MYSQL_PORT=3306
SP_MOTO_ENDPOINT=http://127.0.0.1:5055
PATH=$PWD/$STATE/tools/bin:\$PATH
ENV
echo "integration engines up: postgresql :5432, mariadb :3306, moto :5055 (settings in $STATE/env)"

# Helm and the pinned charts' sources, for test/integration/helm.
bash scripts/charts-env.sh

# A Vault server built from source, for test/integration/vault/live and test/engine.
bash scripts/vault-env.sh

# The Pulumi engine (CLI, Node language host, vault/random/kubernetes providers), for test/engine;
# its settings (PATH entries, PULUMI_HOME, passphrase) join the connection settings above.
bash scripts/engine-env.sh
cat "$STATE/engine.env" >>"$STATE/env"

# The control plane of a one-node Kubernetes (API server with etcd, controller manager,
# scheduler), for test/engine/kube*.ts; its settings (URL, CA file, kubeconfig path) join the
# others.
bash scripts/kube-env.sh
cat "$STATE/kube.env" >>"$STATE/env"

# The External Secrets Operator controller, built from source (started by the tests out of
# cluster with test/engine/eso.ts, and by the node as a pod from its image); its settings (the
# binary, its version) join the others.
bash scripts/eso-env.sh
cat "$STATE/eso.env" >>"$STATE/env"

# The node: containerd, runc, CNI, kubelet, kube-proxy, CoreDNS, and the images built here
# (Vault's and ESO's from the builds above); its settings (the images' references, the ranges)
# join the others.
bash scripts/kube-node-env.sh
cat "$STATE/node.env" >>"$STATE/env"
