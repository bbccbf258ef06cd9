# Sourced by Castgate's scripts: picks a JDK 21 or newer and exports JAVA_HOME and PATH.
# The default java of a machine may be older, so it is checked rather than trusted.

castgate_java_major() {
    "$1/bin/java" -XshowSettings:properties -version 2>&1 \
        | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
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
export PATH="$JAVA_HOME/bin:$PATH"
