#!/usr/bin/env bash
# Runs goreleaser on this tree in a temporary copy whose `origin` is a
# throwaway GitHub URL: goreleaser insists on a remote it can parse, which a
# local clone (CI's, a developer's fork) may not have. Nothing is pushed.
#
#   scripts/goreleaser.sh check      goreleaser check (validates .goreleaser.yml)
#   scripts/goreleaser.sh snapshot   goreleaser release --snapshot --clean --skip=sign,publish,
#                                    archives copied back into ./dist
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

mode=${1:-check}
need git "Install git."
need goreleaser "Install it: go install github.com/goreleaser/goreleaser/v2@v2.15.1 (about 2 minutes)."

root=$(repo_root)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
throwaway_remote=https://github.com/maximhq/terraform-provider-bifrost.git

case "$mode" in
check)
	mkdir "$tmp/repo"
	cp "$root/.goreleaser.yml" "$root/terraform-registry-manifest.json" "$tmp/repo/"
	cd "$tmp/repo"
	git init -q
	git remote add origin "$throwaway_remote"
	goreleaser check
	;;
snapshot)
	git clone -q --no-hardlinks "$root" "$tmp/repo"
	# Include uncommitted and untracked (not ignored) files: a snapshot of
	# the working tree, as `goreleaser release --snapshot` would see it.
	(cd "$root" && git ls-files -z --cached --others --exclude-standard |
		while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
		tar --null -T - -cf -) | tar -C "$tmp/repo" -xf -
	cd "$tmp/repo"
	git remote set-url origin "$throwaway_remote" 2>/dev/null || git remote add origin "$throwaway_remote"
	goreleaser release --snapshot --clean --skip=sign,publish
	rm -rf "$root/dist"
	cp -R dist "$root/dist"
	say "Archives in dist/:"
	ls -1 "$root/dist"/*.zip "$root/dist"/*SHA256SUMS "$root/dist"/*manifest.json 2>/dev/null || true
	;;
*)
	die "usage: $0 check|snapshot"
	;;
esac
