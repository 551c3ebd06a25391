# Shared helpers of the scripts in this folder (sourced, not run).
# shellcheck shell=bash

export CHECKPOINT_DISABLE=1

# The provider's registry address, as used in required_providers.
PROVIDER_SOURCE="maximhq/bifrost"

say() { printf '\n==> %s\n' "$*"; }

die() {
	printf '\nERROR: %s\n' "$*" >&2
	exit 1
}

need() {
	command -v "$1" >/dev/null 2>&1 || die "'$1' is not on the PATH. $2"
}

# repo_root prints the root of the repository (the folder of GNUmakefile).
repo_root() {
	cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd
}

# build_provider DIR [PACKAGE...] builds the provider binary, and the
# commands PACKAGE... (e.g. ./internal/emulator/cmd/bifrost-emulator), into
# DIR in one go build with the same flags, so that the packages they share
# are compiled once.
build_provider() {
	local dir=$1
	shift
	mkdir -p "$dir"
	(cd "$(repo_root)" && go build -trimpath -ldflags "-X main.version=${VERSION:-dev}" -o "$dir/" . "$@") ||
		die "cannot build the provider (go build . $*)"
	[ -x "$dir/terraform-provider-bifrost" ] || die "go build did not write $dir/terraform-provider-bifrost"
}

# write_dev_overrides FILE DIR writes a Terraform CLI configuration that
# takes the provider from DIR instead of a registry, and exports
# TF_CLI_CONFIG_FILE pointing at it. With it, plan/apply/validate need no
# `terraform init`.
write_dev_overrides() {
	local file=$1 dir=$2
	cat >"$file" <<HCL
provider_installation {
  dev_overrides {
    "${PROVIDER_SOURCE}" = "${dir}"
  }
  direct {}
}
HCL
	export TF_CLI_CONFIG_FILE=$file
}

# terraform_version prints the version of the terraform on the PATH (1.11.4).
terraform_version() {
	terraform version -json 2>/dev/null | sed -n 's/.*"terraform_version": *"\([^"]*\)".*/\1/p'
}

# version_ge A B succeeds when version A >= version B.
version_ge() {
	[ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n1)" = "$2" ]
}
