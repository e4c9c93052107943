# Sourced by scripts that need a tool from Debian's packages: `require_command wrk` installs the
# package of the same name when the command is missing (`require_command pg_dump
# postgresql-client-15` when they differ).
require_command() {
    command -v "$1" >/dev/null && return 0
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${2:-$1}" >/dev/null
}
