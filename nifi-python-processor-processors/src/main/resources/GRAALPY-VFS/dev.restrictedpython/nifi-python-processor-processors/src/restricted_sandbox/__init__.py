"""Adjustments that let the bundled third-party packages run in ExecuteRestrictedPython's sandbox.

``sandbox_site.py`` (evaluated by Java in every new context) puts this folder and the bundled site-packages on
``sys.path`` and calls :func:`install`. Nothing here widens what a context may reach: the additions are pure
Python, written for a context without native access, threads or host files.
"""


# Standard modules that exist in GraalPy but cannot work here: importing them fails, so that packages which
# probe for them take their pure-Python path. crypt's functions fail on GraalPy's Java POSIX backend (the one a
# context without native access has) with an error that Python code cannot catch; passlib probes crypt for
# sha512_crypt and falls back to its own implementation when the import fails.
UNAVAILABLE_MODULES = ("crypt", "_crypt")


def install():
    import sys
    import warnings
    for name in UNAVAILABLE_MODULES:
        sys.modules.setdefault(name, None)
    from restricted_sandbox import import_patches, unicodedata_fallback
    unicodedata_fallback.install()
    import_patches.install()
    # urllib3 2 (under requests, so openai) warns at import that the ssl module is not OpenSSL: GraalPy's ssl is
    # the JDK's TLS. The warning would become a WARN line in the processor's log at every such import.
    warnings.filterwarnings("ignore", message="urllib3 v2 only supports OpenSSL", module="urllib3")
