"""XML parsing in the sandbox, installed in every context before the statement compiles.

- ``pyexpat``: GraalPy's is a native extension, which this context cannot load. An import hook serves ours
  (``pyexpat.py``, over the JDK's parser through ``XmlParserBridge.java``) instead; it compiles on first import.
- The ``xml`` packages get their submodules as attributes on first use (``etree.ElementTree``, ``dom.minidom``,
  ``sax.saxutils``...): the dialect lets a statement write ``from xml import etree`` but not
  ``from xml.etree import ElementTree``, and a package only has the submodules someone imported.
"""

import sys

_SUBMODULES = {
    "xml": ("dom", "etree", "parsers", "sax"),
    "xml.dom": ("NodeFilter", "domreg", "expatbuilder", "minicompat", "minidom", "pulldom", "xmlbuilder"),
    "xml.etree": ("ElementInclude", "ElementPath", "ElementTree", "cElementTree"),
    "xml.parsers": ("expat",),
    "xml.sax": ("expatreader", "handler", "saxutils", "xmlreader"),
}


def install(bridge, pyexpat_source):
    sys.meta_path.insert(0, _XmlFinder(bridge, pyexpat_source))
    for package, names in _SUBMODULES.items():
        if package in sys.modules:
            _add_submodule_attributes(sys.modules[package], names)


class _XmlFinder:
    """Serves ``pyexpat``, and wraps the loaders of the ``xml`` packages to add their submodule attributes."""

    def __init__(self, bridge, pyexpat_source):
        self._bridge = bridge
        self._source = pyexpat_source

    def find_spec(self, fullname, path=None, target=None):
        if fullname == "pyexpat":
            return type(sys.__spec__)("pyexpat", self, origin="pyexpat.py")
        names = _SUBMODULES.get(fullname)
        if names is None:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                if spec.loader is not None:
                    spec.loader = _PackageLoader(spec.loader, names)
                return spec
        return None

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        module.__dict__["_bridge"] = self._bridge
        exec(compile(self._source, "pyexpat.py", "exec"), module.__dict__)


class _PackageLoader:
    """The package's own loader, plus the submodule attributes once the package has run."""

    def __init__(self, loader, names):
        self._loader = loader
        self._names = names

    def create_module(self, spec):
        create = getattr(self._loader, "create_module", None)
        return create(spec) if create is not None else None

    def exec_module(self, module):
        self._loader.exec_module(module)
        _add_submodule_attributes(module, self._names)

    def __getattr__(self, name):
        return getattr(self._loader, name)


def _add_submodule_attributes(package, names):
    """PEP 562: an attribute missing from the package that names one of its submodules imports it."""
    prefix = package.__name__ + "."

    def __getattr__(name):
        if name in names:
            __import__(prefix + name)
            return sys.modules[prefix + name]
        raise AttributeError("module %r has no attribute %r" % (package.__name__, name))

    package.__getattr__ = __getattr__
