# Sourced by ./restricted-python: a faster start for the command's JVM on JDK 25 and newer, with the Graal JIT.
#
# Most of a first start is class loading: GraalPy loads ~19,000 classes (85 MB of bytecode) before the first
# statement runs. Class-data sharing would map them ready-made, but the JDK's jdk.graal.compiler module is an empty
# placeholder, so the compiler jars can only replace it through --upgrade-module-path, and that option turns
# class-data sharing off. Two steps put it back (measured here: `run` on an example 6.9 -> 3.0 s, the bench's cold
# start 6.8 -> 3.0 s):
#   linked_runtime  a copy of the JDK linked by jlink without the placeholder, so that the compiler jars come from
#                   --module-path instead and class-data sharing stays on;
#   aot_cache       an AOT cache (JEP 483, 514) of the classes a `run` of an example loads, made once per build by
#                   a training run.
# Both live under the command's target/ (~220 MB and ~160 MB) and are remade when the JDK, a jar or the options
# change; RESTRICTED_PYTHON_FAST_START=off goes without them. This speeds up the command, not a NiFi: NiFi loads
# the processor through its NAR class loader, with which this was neither made nor tried.

# linked_runtime TARGET: prints the home of the linked runtime (linked on first use, ~5 s); fails when this JDK
# is older than 25 or cannot link one (the answer is remembered), or when RESTRICTED_PYTHON_FAST_START=off.
linked_runtime() {
    local target=$1 image="$1/runtime" key modules
    case "${RESTRICTED_PYTHON_FAST_START:-on}" in
        0|off|false|no) return 1 ;;
    esac
    [ "$(java_major "$JAVA_HOME" | cut -d. -f1)" -ge 25 ] && [ -x "$JAVA_HOME/bin/jlink" ] || return 1
    key=$( { "$JAVA_HOME/bin/java" -version 2>&1; echo "$JAVA_HOME"; } | cksum | cut -d' ' -f1)
    if [ -f "$image/restricted-python.key" ] && [ "$(cat "$image/restricted-python.key")" = "$key" ]; then
        echo "$image"
        return 0
    fi
    [ -f "$target/runtime-refused.$key" ] && return 1
    rm -rf "$image"
    # Every module of the JDK but the placeholder (and the tools that would need a JDK with packaged modules).
    modules=$("$JAVA_HOME/bin/java" --list-modules | sed 's/@.*//' \
        | grep -v -e '^jdk\.graal\.compiler' -e '^jdk\.jlink$' -e '^jdk\.jpackage$' | paste -sd, -)
    if "$JAVA_HOME/bin/jlink" --add-modules "$modules" --generate-cds-archive --output "$image" \
        >"$target/runtime.log" 2>&1; then
        echo "$key" >"$image/restricted-python.key"
        echo "$image"
    else
        rm -rf "$image"
        touch "$target/runtime-refused.$key"
        echo "restricted-python: could not link a runtime for a faster start (log: $target/runtime.log)" >&2
        return 1
    fi
}

# aot_cache TARGET JAVA CLASSPATH JVM_OPTION... -- MAIN_CLASS ARG...: prints the AOT cache for exactly this java,
# class path and JVM options; makes it first when there is none, by a training run of MAIN_CLASS ARG... (about half
# a minute). Fails, and remembers it, when the training run fails.
aot_cache() {
    local target=$1 java=$2 classpath=$3
    shift 3
    local options=()
    while [ "$#" -gt 0 ] && [ "$1" != -- ]; do
        options+=("$1")
        shift
    done
    shift
    local dir="$target/aot" fingerprint cache jar jars
    # The JVM refuses a cache when a jar of the class path differs in size or time: so does the fingerprint.
    fingerprint=$( {
        echo "$java ${options[*]}"
        IFS=: read -ra jars <<<"$classpath"
        for jar in "${jars[@]}"; do stat -c '%n %s %Y' "$jar"; done
    } | cksum | cut -d' ' -f1)
    cache="$dir/$fingerprint.aot"
    if [ -f "$cache" ]; then
        echo "$cache"
        return 0
    fi
    [ -f "$dir/$fingerprint.refused" ] && return 1
    rm -rf "$dir"
    mkdir -p "$dir"
    echo "restricted-python: preparing a faster start (once per build: a training run of about half a minute)..." >&2
    if "$java" "${options[@]}" -XX:AOTCacheOutput="$cache" -cp "$classpath" "$@" >"$dir/training.log" 2>&1 \
        && [ -f "$cache" ]; then
        echo "$cache"
    else
        rm -f "$cache"
        touch "$dir/$fingerprint.refused"
        echo "restricted-python: no AOT cache, the training run failed (log: $dir/training.log)" >&2
        return 1
    fi
}
