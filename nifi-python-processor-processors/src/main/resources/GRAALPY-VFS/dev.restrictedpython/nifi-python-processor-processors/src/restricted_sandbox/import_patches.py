"""Source patches and after-import adjustments, applied while a module is imported. The installed files stay
as PyPI ships them, so graalpy.lock describes exactly what is in the jar.

Each patch replaces one exact text of one module. When the text is not found (the package was upgraded in
graalpy.lock), the import fails with a message saying so, rather than running the unpatched module.
"""

import sys

# importlib.machinery's loader and finder, from the bootstrap module every context has loaded already: importing
# the importlib package costs a tenth of a second of the first context's start.
from _frozen_importlib_external import PathFinder, SourceFileLoader

# h11 makes each sentinel its own class (``v.__class__ = v``). GraalPy 25.0.3 refuses that assignment when the
# Engine is shared by several contexts ("__class__ assignment: 'CLIENT' object layout differs from 'Sentinel'"),
# which is how ExecuteRestrictedPython runs. Without the assignment, ``isinstance(h11.PAUSED, h11.PAUSED)`` (used
# by httpcore) still holds through ``__instancecheck__``; only ``type(sentinel) is sentinel`` does not.
_H11_SENTINEL = (
    "        v.__class__ = v  # type: ignore\n"
    "        return v\n",
    "        try:\n"
    "            v.__class__ = v  # type: ignore\n"
    "        except TypeError:\n"
    "            pass  # restricted-python: GraalPy 25.0 with a shared engine, see restricted_sandbox\n"
    "        return v\n"
    "\n"
    "    def __instancecheck__(cls, instance):\n"
    "        return instance is cls or type.__instancecheck__(cls, instance)\n",
)

# PyYAML's FullLoader resolves !!python/name: to any attribute of any loaded module, and its UnsafeLoader (also
# yaml.Loader, yaml.unsafe_load) imports modules and calls callables named in the document
# (!!python/object/apply:os.system). In the sandbox no loader turns a document into code: these tags raise a
# ConstructorError like SafeLoader's. The plain-data !!python/... tags (tuple, complex, bytes...) still load.
_YAML_NO_PYTHON_OBJECTS = (
    "class Constructor(UnsafeConstructor):\n"
    "    pass\n",
    "class Constructor(UnsafeConstructor):\n"
    "    pass\n"
    "\n"
    "\n"
    "def _restricted_python_refuse_object(loader, suffix, node):\n"
    "    raise ConstructorError(None, None, 'the tag %r is not allowed in ExecuteRestrictedPython: YAML documents '\n"
    "                           'cannot name or build Python objects' % node.tag, node.start_mark)\n"
    "\n"
    "\n"
    "for _restricted_python_tag in ('python/name:', 'python/module:', 'python/object:', 'python/object/new:',\n"
    "                               'python/object/apply:'):\n"
    "    FullConstructor.add_multi_constructor('tag:yaml.org,2002:' + _restricted_python_tag,\n"
    "                                          _restricted_python_refuse_object)\n"
    "    UnsafeConstructor.add_multi_constructor('tag:yaml.org,2002:' + _restricted_python_tag,\n"
    "                                            _restricted_python_refuse_object)\n",
)

# multidict (under aiohttp, so openai's acreate) copies its index arrays with array.__copy__(), which GraalPy
# 25.0's array type lacks ("'array.array' object has no attribute '__copy__'"); a full slice copies the same way.
_MULTIDICT_ARRAY_COPY = (
    ("indices = cls.PREALLOCATED_INDICES[log2_size].__copy__()",
     "indices = cls.PREALLOCATED_INDICES[log2_size][:]"),
    ("indices=self.indices.__copy__(),", "indices=self.indices[:],"),
)

PATCHES = {
    "h11._util": (_H11_SENTINEL,),
    "yaml.constructor": (_YAML_NO_PYTHON_OBJECTS,),
    "multidict._multidict_py": _MULTIDICT_ARRAY_COPY,
}


def _thread_free_asyncio(module):
    from restricted_sandbox import thread_free_asyncio
    thread_free_asyncio.install(module)


def _quiet_urllib3_openssl_warning(module):
    # urllib3 2 (under requests, so openai) warns at import that the ssl module is not OpenSSL: GraalPy's ssl is
    # the JDK's TLS. The warning would become a WARN line in the processor's log at every such import. Set here,
    # not at context start: a message filter compiles a regular expression, and re costs a second of the first
    # context's start.
    import warnings
    warnings.filterwarnings("ignore", message="urllib3 v2 only supports OpenSSL", module="urllib3")


# Functions called with a module right before its code runs.
BEFORE_IMPORT = {
    "urllib3": _quiet_urllib3_openssl_warning,
}

# Functions called with a module right after it has been executed.
AFTER_IMPORT = {
    "asyncio": _thread_free_asyncio,
}


class PatchError(ImportError):
    pass


class _PatchedSourceLoader(SourceFileLoader):
    """Compiles the module from its patched source (never from a .pyc of the unpatched one), and runs the
    module's BEFORE_IMPORT and AFTER_IMPORT functions, if any, around its code."""

    def __init__(self, fullname, path, patches, before, after):
        super().__init__(fullname, path)
        self._patches = patches
        self._before = before
        self._after = after

    def exec_module(self, module):
        if self._before is not None:
            self._before(module)
        super().exec_module(module)
        if self._after is not None:
            self._after(module)

    def get_code(self, fullname):
        if not self._patches:
            return super().get_code(fullname)
        source = self.get_data(self.path).decode("utf-8")
        for old, new in self._patches:
            if old not in source:
                raise PatchError("restricted-python: the sandbox patch for %s no longer matches %s; review "
                                 "restricted_sandbox/import_patches.py against the version in graalpy.lock"
                                 % (fullname, self.path), name=fullname)
            source = source.replace(old, new, 1)
        return compile(source, self.path, "exec", dont_inherit=True)


class _PatchingFinder:
    """Finds the modules named in PATCHES, BEFORE_IMPORT or AFTER_IMPORT as the path finder does; gives them the
    loader above."""

    def find_spec(self, fullname, path=None, target=None):
        patches = PATCHES.get(fullname, ())
        before = BEFORE_IMPORT.get(fullname)
        after = AFTER_IMPORT.get(fullname)
        if not patches and before is None and after is None:
            return None
        spec = PathFinder.find_spec(fullname, path, target)
        if spec is None or not isinstance(spec.loader, SourceFileLoader):
            return spec
        spec.loader = _PatchedSourceLoader(fullname, spec.origin, patches, before, after)
        if patches:
            spec.cached = None
        return spec

    def invalidate_caches(self):
        pass


def install():
    if not any(isinstance(finder, _PatchingFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _PatchingFinder())
