# Sourced by Castgate's scripts: picks a JDK 21 or newer and exports JAVA_HOME and PATH.
# The default java of a machine may be older, so it is checked rather than trusted.

# The JDK's version, "25.0.3" or "21": from its release file, which every JDK build has, so no
# JVM is started for it; from the JVM itself when the file is missing.
castgate_java_version() {
    local version=""
    [ -f "$1/release" ] && version=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$1/release" | head -n 1)
    if [ -z "$version" ]; then
        version=$("$1/bin/java" -XshowSettings:properties -version 2>&1 \
            | sed -n 's/^ *java\.version = \([^ ]*\).*/\1/p' | head -n 1)
    fi
    echo "$version"
}

# The feature release of a version: 25 of "25.0.3", 8 of "1.8.0_402".
castgate_java_major() {
    local version
    version=$(castgate_java_version "$1")
    version=${version#1.}
    echo "${version%%[!0-9]*}"
}

castgate_find_jdk() {
    local candidates=()
    [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
    if command -v javac >/dev/null 2>&1; then
        candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
    fi
    local dir
    for dir in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/*; do
        [ -d "$dir" ] && candidates+=("$dir")
    done
    for dir in "${candidates[@]}"; do
        if [ -x "$dir/bin/java" ] && [ -x "$dir/bin/javac" ]; then
            local major
            major=$(castgate_java_major "$dir")
            if [ -n "$major" ] && [ "$major" -ge 21 ]; then
                echo "$dir"
                return 0
            fi
        fi
    done
    return 1
}

if ! CASTGATE_JDK=$(castgate_find_jdk); then
    echo "castgate: no JDK 21 or newer found (set JAVA_HOME to one)" >&2
    exit 1
fi
export JAVA_HOME="$CASTGATE_JDK"
CASTGATE_JAVA_VERSION=$(castgate_java_version "$CASTGATE_JDK")
CASTGATE_JAVA_MAJOR=$(castgate_java_major "$CASTGATE_JDK")
export CASTGATE_JAVA_VERSION CASTGATE_JAVA_MAJOR
export PATH="$JAVA_HOME/bin:$PATH"
