#!/usr/bin/env bash
# The demo behind `make demo`: start the offline sandbox, apply the
# quickstart with the provider built from this repository, show the result.
# Nothing leaves this machine.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
sandbox_pid=""
cleanup() {
  [ -n "$sandbox_pid" ] && kill "$sandbox_pid" 2>/dev/null && wait "$sandbox_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

[ -x "$root/bin/terraform-provider-entropydata" ] || { echo "run 'make build' first (make demo does)"; exit 1; }
command -v terraform >/dev/null || { echo "terraform (>= 1.11) must be on PATH"; exit 1; }

echo "==> Starting the sandbox (Entropy Data + Microsoft Entra ID + Power BI emulators)"
(cd "$root" && go build -o "$work/entropydata-sandbox" ./internal/sandbox/cmd/entropydata-sandbox)
"$work/entropydata-sandbox" -dir "$work/sandbox" -env-file "$work/sandbox.env" >"$work/sandbox.log" 2>&1 &
sandbox_pid=$!
for _ in $(seq 1 100); do
  [ -s "$work/sandbox.env" ] && break
  kill -0 "$sandbox_pid" 2>/dev/null || { cat "$work/sandbox.log"; exit 1; }
  sleep 0.1
done
# shellcheck disable=SC1091
source "$work/sandbox.env"
echo "    Entropy Data API at $ENTROPY_DATA_HOST"
# The provider trusts the sandbox's own certificate authority through this
# setting (ca_cert_file), on any OS; SSL_CERT_FILE is not needed.
echo "    trusting its certificate authority through ENTROPY_DATA_CA_CERT_FILE=$ENTROPY_DATA_CA_CERT_FILE"

# Use the provider binary just built, without any registry.
cat >"$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "entropy-data/entropydata" = "$root/bin"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$work/terraformrc"
export TF_IN_AUTOMATION=1

mkdir -p "$work/quickstart"
cp "$root"/examples/quickstart/*.tf "$work/quickstart/"
cd "$work/quickstart"

# Terraform's output without the expected dev_overrides warning box; every
# other message, errors included, is shown as Terraform wrote it.
without_override_warning() {
  awk '
    /^╷/ { block = $0 "\n"; inbox = 1; next }
    inbox { block = block $0 "\n"; if (/^╵/) { inbox = 0; if (block !~ /Provider development overrides/) printf "%s", block }; next }
    { print }
  '
}

echo "==> terraform apply"
if ! terraform apply -auto-approve -input=false -no-color >"$work/apply.log" 2>&1; then
  without_override_warning <"$work/apply.log"
  echo "==> terraform apply failed (Terraform's messages above)"
  exit 1
fi
without_override_warning <"$work/apply.log"

echo "==> Result"
terraform output -no-color
echo "==> A second plan is empty (nothing drifts):"
set +e
terraform plan -detailed-exitcode -input=false -no-color >"$work/plan.log" 2>&1
status=$?
set -e
case $status in
  0) echo "    no changes" ;;
  2) without_override_warning <"$work/plan.log"; echo "==> the second plan is not empty (changes above)"; exit 1 ;;
  *) without_override_warning <"$work/plan.log"; echo "==> terraform plan failed (Terraform's messages above)"; exit 1 ;;
esac
