#!/usr/bin/env bash
# Checks every example: `terraform fmt -check` on the whole folder, then
# `terraform validate` in each folder holding .tf files, against the provider
# built from this tree through a dev_overrides CLI configuration (no
# registry, no `terraform init`).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

need go "Install Go (see go.mod for the version)."
need terraform "Install Terraform >= 1.0 (1.11+ to validate the write-only examples)."

root=$(repo_root)
cd "$root"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Written first so that no terraform command reads a stale user config.
write_dev_overrides "$tmp/dev.tfrc" "$tmp/bin"

say "terraform fmt -check -recursive examples"
if ! terraform fmt -check -recursive -diff examples; then
	die "examples are not formatted: run 'terraform fmt -recursive examples' (or 'make fmt')"
fi

say "Building the provider"
build_provider "$tmp/bin"

tfver=$(terraform_version)
writeonly=yes
if ! version_ge "${tfver:-0}" 1.11.0; then
	writeonly=no
	cat <<MSG

################################################################################
##  Terraform ${tfver:-unknown} is older than 1.11: example files that use write-only
##  arguments (value_wo) or ephemeral variables are NOT validated.
################################################################################
MSG
fi

failed=()
count=0
while IFS= read -r dir; do
	work="$tmp/work/$dir"
	mkdir -p "$work"
	# Only this folder's own files: each folder is one root module.
	find "$dir" -maxdepth 1 -type f -name '*.tf' -exec cp {} "$work/" \;
	if [ "$writeonly" = no ]; then
		for f in "$work"/*.tf; do
			if grep -Eq 'value_wo|ephemeral[[:space:]]*=' "$f"; then
				echo "skipping $dir/$(basename "$f") (needs Terraform >= 1.11)"
				rm -f "$f"
			fi
		done
		compgen -G "$work/*.tf" >/dev/null || continue
	fi
	say "terraform validate $dir"
	count=$((count + 1))
	if grep -Eq '^[[:space:]]*source[[:space:]]*=[[:space:]]*"\.\./modules/' "$work"/*.tf; then
		# A local module (examples/modules/...), at the same relative path:
		# `terraform get` installs it offline (providers stay dev_overrides).
		mkdir -p "$tmp/work/examples"
		[ -d "$tmp/work/examples/modules" ] || cp -R examples/modules "$tmp/work/examples/modules"
		terraform -chdir="$work" get -no-color >"$tmp/out" 2>&1 || { cat "$tmp/out"; failed+=("$dir (terraform get)"); continue; }
	fi
	if terraform -chdir="$work" validate -no-color >"$tmp/out" 2>&1; then
		# The dev_overrides warning is expected; any other warning (a
		# deprecated argument, say) fails the check.
		if awk '/^Warning: / && !/Provider development overrides are in effect/ { found = 1 } END { exit !found }' "$tmp/out"; then
			cat "$tmp/out"
			failed+=("$dir (warnings)")
		else
			echo "valid"
		fi
	else
		cat "$tmp/out"
		failed+=("$dir")
	fi
done < <(find examples -type f -name '*.tf' -exec dirname {} \; | sort -u)

[ "$count" -gt 0 ] || die "no example folder found under examples/"
if [ "${#failed[@]}" -gt 0 ]; then
	die "terraform validate failed in: ${failed[*]}"
fi
say "All $count example folders are formatted and valid."
