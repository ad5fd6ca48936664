# Sourced by run-tests and restricted-python before Maven runs graalpy-maven-plugin.
# GraalPy's pip adds GraalPy's own wheel index and a patch repository on GitHub by default; on a closed network
# both are unreachable and each costs minutes of retries. PyPI alone is enough: the bundled packages are pure
# Python and the patches that ship inside GraalPy still apply. A value already set in the environment wins.
export PIP_EXTRA_INDEX_URL="${PIP_EXTRA_INDEX_URL:-https://pypi.org/simple}"
export PIP_GRAALPY_PATCHES_URL="${PIP_GRAALPY_PATCHES_URL:-disabled}"
