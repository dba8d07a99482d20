// The SDK's version, which is bpfscript's own: the SDK is the package's
// public API, so the package's semver is the SDK's (a breaking SDK change is a
// major release). A package states the versions it works with in
// `engines.bpfscript`, checked when a script imports it.
export const sdkVersion = '0.1.0';
