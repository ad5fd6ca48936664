"""The restricted-Python dialect of ExecuteRestrictedPython.

What a statement may write (imports, syntax, attribute names) and which builtins it gets. The static rules
walk the AST; the import guard and the attribute guard repeat them at run time for code paths the AST cannot
see (``__import__`` called as a value, ``getattr`` with a computed name). The dialect is a contract with the
user, not the security boundary: the GraalPy context around it is.
"""

import ast
import builtins

# The seed's list, exactly. ``import a.b`` / ``from a.b import x`` need ``a.b`` here; ``import a`` needs ``a``.
ALLOWED_MODULES = frozenset((
    "string", "math", "itertools", "random", "warnings", "base64", "io", "json", "xml", "ssl", "time",
    "datetime",
    "yaml", "httpx", "pandas", "numpy", "deepdiff", "passlib.hash", "jose", "jose.backends", "jose.constants",
    "jose.utils", "openai", "matplotlib", "matplotlib.pyplot",
))

# Builtins that reach outside the data (files, code generation, the console, the interpreter's namespaces).
REMOVED_BUILTINS = frozenset((
    "open", "exec", "eval", "compile", "breakpoint", "input", "help", "exit", "quit", "globals", "vars",
))

# Double-underscore names a statement may use; others (__builtins__, __loader__, __spec__ ...) lead to the
# interpreter's machinery.
ALLOWED_DUNDER_NAMES = frozenset(("__name__", "__import__", "__debug__", "__doc__"))

# Attributes that lead from ordinary objects to frames, code objects and interpreter internals.
INTROSPECTION_ATTRIBUTES = frozenset((
    "gi_frame", "gi_code", "gi_yieldfrom", "cr_frame", "cr_code", "cr_await", "ag_frame", "ag_code", "ag_await",
    "tb_frame", "tb_next", "f_back", "f_builtins", "f_globals", "f_locals", "f_code", "f_trace",
    "co_code", "co_consts", "func_globals", "mro",
))

# Underscore names harmless to read: strings, or methods whose own attributes stay guarded.
SAFE_UNDERSCORE_ATTRIBUTES = frozenset(("__name__", "__qualname__", "__doc__", "__module__", "__init__",
                                        "__class__"))

_real_import = builtins.__import__
_real_getattr = builtins.getattr


class RestrictedDialectError(Exception):
    """A rule of the dialect was broken; carries the line of the statement that broke it."""

    def __init__(self, error_type, message, line):
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.line = line


def check(tree):
    """Raises RestrictedDialectError for the first rule the statement's AST breaks."""
    for node in ast.walk(tree):
        _check_import(node)
        _check_type_hint(node)
        _check_attribute(node)
        _check_name(node)


def _check_import(node):
    if isinstance(node, ast.Import):
        for alias in node.names:
            _require_allowed(alias.name, node.lineno)
    elif isinstance(node, ast.ImportFrom):
        if node.level:
            raise RestrictedDialectError("ImportError", "relative imports are not allowed", node.lineno)
        _require_allowed(node.module, node.lineno)


def _require_allowed(module, line):
    if module not in ALLOWED_MODULES:
        raise RestrictedDialectError("ImportError", import_refusal(module), line)


def import_refusal(module):
    return "import of module '%s' is not allowed; allowed modules are: %s" % (
        module, ", ".join(sorted(ALLOWED_MODULES)))


def _check_type_hint(node):
    line = None
    if isinstance(node, ast.AnnAssign):
        line = node.lineno
    elif isinstance(node, ast.arg) and node.annotation is not None:
        line = node.lineno
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.returns is not None:
        line = node.returns.lineno
    if line is not None:
        raise RestrictedDialectError(
            "SyntaxError", "type hints are not supported in restricted Python; remove the annotation", line)


def _check_attribute(node):
    if isinstance(node, ast.Attribute) and not is_allowed_attribute(node.attr):
        raise RestrictedDialectError("AttributeError", attribute_refusal(node.attr), node.lineno)


def _check_name(node):
    if isinstance(node, ast.Name) and node.id.startswith("__") and node.id not in ALLOWED_DUNDER_NAMES:
        raise RestrictedDialectError("NameError", "name '%s' is not allowed in restricted Python" % node.id,
                                     node.lineno)


def is_allowed_attribute(name):
    if name.startswith("_"):
        return name in SAFE_UNDERSCORE_ATTRIBUTES
    return name not in INTROSPECTION_ATTRIBUTES


def attribute_refusal(name):
    return "access to attribute '%s' is not allowed in restricted Python" % name


def guarded_import(name, globals=None, locals=None, fromlist=(), level=0):
    """``__import__`` as the statement sees it: the same rule as the static check, for dynamic calls."""
    if level:
        raise ImportError("relative imports are not allowed")
    if name not in ALLOWED_MODULES:
        raise ImportError(import_refusal(name))
    return _real_import(name, globals, locals, fromlist, 0)


_MISSING = object()


def guarded_getattr(obj, name, default=_MISSING):
    if isinstance(name, str) and not is_allowed_attribute(name):
        raise AttributeError(attribute_refusal(name))
    if default is _MISSING:
        return _real_getattr(obj, name)
    return _real_getattr(obj, name, default)


def guarded_hasattr(obj, name):
    if isinstance(name, str) and not is_allowed_attribute(name):
        raise AttributeError(attribute_refusal(name))
    return hasattr(obj, name)


def guarded_setattr(obj, name, value):
    if isinstance(name, str) and not is_allowed_attribute(name):
        raise AttributeError(attribute_refusal(name))
    setattr(obj, name, value)


def guarded_delattr(obj, name):
    if isinstance(name, str) and not is_allowed_attribute(name):
        raise AttributeError(attribute_refusal(name))
    delattr(obj, name)


class _Unavailable:
    """Stands in for a removed builtin: using it fails with a sentence that names it."""

    __slots__ = ("_name",)

    def __init__(self, name):
        self._name = name

    def __call__(self, *args, **kwargs):
        raise NameError(missing_builtin_message(self._name))

    def __repr__(self):
        return "<%s: not available in restricted Python>" % self._name


def statement_globals():
    """The globals a statement runs with. GraalPy resolves builtins from the real builtins module whatever a
    function's globals say, so the dialect's versions shadow them here, where name lookup finds them first."""
    namespace = {name: _Unavailable(name) for name in REMOVED_BUILTINS}
    namespace["__import__"] = guarded_import
    namespace["getattr"] = guarded_getattr
    namespace["hasattr"] = guarded_hasattr
    namespace["setattr"] = guarded_setattr
    namespace["delattr"] = guarded_delattr
    return namespace


def missing_builtin_message(name):
    return "'%s' is not available in restricted Python" % name
