# Sourced by ./restricted-python, ./build and .ci/run: exports JAVA_HOME pointing at a JDK >= 21.
# NiFi 2 needs Java 21+, while many machines still default to 17. Looks at $JAVA_HOME, then `java` on the PATH,
# then the usual JDK folders, and takes the newest JDK of at least 21 it finds.

# The Java version of the JDK at $1: from its release file (instant), else by asking its java (~0.1 s a JDK).
java_major() {
    local version
    version=$(sed -n 's/^JAVA_VERSION="\(.*\)"$/\1/p' "$1/release" 2>/dev/null | head -n 1)
    if [ -z "$version" ]; then
        version=$("$1/bin/java" -XshowSettings:properties -version 2>&1 \
            | sed -n 's/^ *java.specification.version = //p' | head -n 1)
    fi
    echo "$version"
}

find_java_home() {
    local candidate major best="" best_major=0
    local candidates=()
    [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
    if command -v java >/dev/null 2>&1; then
        candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
    fi
    for candidate in /usr/lib/jvm/* /opt/java/* /opt/jdk* /usr/local/lib/jvm/* "$HOME"/.sdkman/candidates/java/*; do
        [ -x "$candidate/bin/javac" ] && candidates+=("$candidate")
    done
    for candidate in "${candidates[@]}"; do
        [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
        major=$(java_major "$candidate")
        major=${major%%.*}
        [ -n "$major" ] || continue
        if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
            best="$candidate"
            best_major="$major"
        fi
    done
    [ -n "$best" ] || return 1
    echo "$best"
}

if ! JAVA_HOME=$(find_java_home); then
    echo "error: no JDK 21 or newer found (NiFi 2 needs Java 21+). Install one or set JAVA_HOME." >&2
    return 2 2>/dev/null || exit 2
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
