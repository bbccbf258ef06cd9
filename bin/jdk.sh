# Sourced by Castgate's scripts: picks a JDK 21 or newer and exports JAVA_HOME and PATH, and
# CASTGATE_JAVA_VERSION ("25.0.3") and CASTGATE_JAVA_MAJOR (25) of it.
# The default java of a machine may be older, so it is checked rather than trusted. Every start
# of the server runs this, so it reads with the shell's own commands and starts no process in the
# common case (each one cost a few milliseconds, and a loop over the installed JDKs ran dozens).

# Sets castgate_version and castgate_major for the JDK in $1: from its release file, which every
# JDK build has, so no JVM is started for it; from the JVM itself when the file is missing.
castgate_read_version() {
    castgate_version="" castgate_major=""
    local line
    if [ -f "$1/release" ]; then
        while IFS= read -r line || [ -n "$line" ]; do
            if [[ $line =~ ^JAVA_VERSION=\"([^\"]*)\" ]]; then
                castgate_version=${BASH_REMATCH[1]}
                break
            fi
        done <"$1/release"
    fi
    if [ -z "$castgate_version" ] && [ -x "$1/bin/java" ]; then
        castgate_version=$("$1/bin/java" -XshowSettings:properties -version 2>&1 \
            | sed -n 's/^ *java\.version = \([^ ]*\).*/\1/p' | head -n 1)
    fi
    # The feature release: 25 of "25.0.3", 8 of "1.8.0_402".
    local version=${castgate_version#1.}
    castgate_major=${version%%[!0-9]*}
}

# Sets CASTGATE_JDK to the first JDK 21+ of: JAVA_HOME, the one javac on the PATH belongs to, the usual folders.
castgate_find_jdk() {
    local candidates=() dir javac
    [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
    if javac=$(command -v javac 2>/dev/null); then
        [ -L "$javac" ] && javac=$(readlink -f "$javac")
        dir=${javac%/*}
        candidates+=("${dir%/*}")
    fi
    for dir in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/*; do
        [ -d "$dir" ] && candidates+=("$dir")
    done
    for dir in "${candidates[@]}"; do
        if [ -x "$dir/bin/java" ] && [ -x "$dir/bin/javac" ]; then
            castgate_read_version "$dir"
            if [ -n "$castgate_major" ] && [ "$castgate_major" -ge 21 ]; then
                CASTGATE_JDK=$dir
                return 0
            fi
        fi
    done
    return 1
}

if ! castgate_find_jdk; then
    echo "castgate: no JDK 21 or newer found (set JAVA_HOME to one)" >&2
    exit 1
fi
export JAVA_HOME="$CASTGATE_JDK"
CASTGATE_JAVA_VERSION=$castgate_version
CASTGATE_JAVA_MAJOR=$castgate_major
export CASTGATE_JAVA_VERSION CASTGATE_JAVA_MAJOR
export PATH="$JAVA_HOME/bin:$PATH"
