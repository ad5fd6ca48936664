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
    for name in UNAVAILABLE_MODULES:
        sys.modules.setdefault(name, None)
    from restricted_sandbox import import_patches
    _install_unicodedata_fallback_on_first_use()
    import_patches.install()


def after_import(name, function):
    """Calls ``function`` with the module ``name`` once it is imported: now if it already is, else right after
    its code has run, before any importer sees it."""
    import sys
    from restricted_sandbox import import_patches
    module = sys.modules.get(name)
    if module is not None:
        function(module)
    else:
        earlier = import_patches.AFTER_IMPORT.get(name)
        import_patches.AFTER_IMPORT[name] = function if earlier is None else _both(earlier, function)


def _both(first, second):
    def run(module):
        first(module)
        second(module)
    return run


def _install_unicodedata_fallback_on_first_use():
    """unicodedata_fallback costs about 0.5 s per context (1.4 s in the first: it imports re), and most statements
    never need it. GraalPy's unicodedata answers a missing attribute through its module ``__getattr__`` (which
    tries the native module); this one installs the fallback first and asks the native hook only for what is
    still missing, so ``from unicodedata import ucd_3_2_0`` and ``unicodedata.combining`` work as before."""
    import unicodedata
    present = vars(unicodedata)
    native = present.get("__getattr__")

    def __getattr__(name):
        if not name.startswith("__"):
            from restricted_sandbox import unicodedata_fallback
            unicodedata_fallback.install()
            if name in present:
                return present[name]
        if native is not None:
            return native(name)
        raise AttributeError("module 'unicodedata' has no attribute %r" % name)

    unicodedata.__getattr__ = __getattr__
