"""Makes the third-party packages bundled in the processor's jar importable in one sandboxed context.

Java evaluates this file right after building a context and calls the function it evaluates to with the mount
point of the jar's read-only virtual file system. The context has no host file system: the standard library
comes from GraalPy's language home, the packages from the virtual file system. This file only sets the import
path; the packages load when a statement (or the host glue) imports them.
"""


def _configure_sandbox(mount_point):
    import sys
    separator = "\\" if "\\" in mount_point else "/"
    version = "python%d.%d" % sys.version_info[:2]
    site_packages = separator.join((mount_point, "venv", "lib", version, "site-packages"))
    sandbox_sources = separator.join((mount_point, "src"))
    for path in (sandbox_sources, site_packages):
        if path not in sys.path:
            sys.path.append(path)
    import restricted_sandbox
    restricted_sandbox.install()


_configure_sandbox
