# Sourced by the scripts that build or test the root package and the Financbase API
# (Examples/financbase-api) together. Both build in one scratch folder, so what they share
# (SwiftNIO, swift-crypto, the library itself) is compiled once, not once per package:
#
#   root_swift build --product financbase-db      # swift build … in the repository's root
#   api_swift build --product financbase-api      # the same, in Examples/financbase-api
#
# SWIFT_CONFIGURATION=release builds in release mode in .build-release (the benchmark's scratch
# folder); the default is a debug build in .build. Needs `root`, the repository's folder.
case "${SWIFT_CONFIGURATION:-debug}" in
    debug) swift_scratch="$root/.build"; swift_configuration=debug ;;
    release) swift_scratch="$root/.build-release"; swift_configuration=release ;;
    *) echo "SWIFT_CONFIGURATION must be debug or release, not '$SWIFT_CONFIGURATION'" >&2; exit 2 ;;
esac
root_swift() {
    local command="$1"; shift
    (cd "$root" && swift "$command" -c "$swift_configuration" --scratch-path "$swift_scratch" "$@")
}
api_swift() {
    local command="$1"; shift
    (cd "$root/Examples/financbase-api" && swift "$command" -c "$swift_configuration" --scratch-path "$swift_scratch" "$@")
}
