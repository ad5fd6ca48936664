"""The restricted-Python dialect of ExecuteRestrictedPython.

What a statement may write (imports, syntax, attribute names) and what it can reach at run time. Three steps,
all applied by the host glue (``statement_host._compile``) before the statement runs:

1. ``check(tree)``: static rules on the AST (imports, type hints, ``_`` attributes, dunder names, literal
   format strings, ``global`` of the dialect's own names).
2. ``transform(tree)``: rewrites the AST so that the run-time guards see what the AST cannot: imports go through
   the import guard and yield *module shadows*; attribute reads that may yield a module are checked;
   ``str.format`` calls check their template; ``**``, ``<<`` and ``pow`` refuse integers too large to compute
   within the Statement Timeout.
3. ``statement_globals()``: the names the statement's globals carry: the guards, and stand-ins for the removed
   builtins (GraalPy resolves builtins from the real builtins module whatever a function's globals say, so the
   dialect shadows them in the globals, where name lookup finds them first).

A module shadow is a module object holding the public names of the real module, with every module-valued
attribute resolved lazily through the rule "a module is reachable only if it is an allowed module, a submodule
of one, or a package on the path to one" (``warnings.sys`` fails, ``xml.etree.ElementTree`` works). Private
names can be neither read nor written; writes to public names reach the real module too, so that configuring a
library works (``openai.api_key = ...``).

Some single calls run in Java where the Statement Timeout cannot stop them: big-integer arithmetic, and builtins
that consume builtin iterators (``sum(range(10 ** 10))``). The dialect bounds the first (INT_BITS_LIMIT) and hands
the statement Python generators for the sources of the second (huge ranges, infinite itertools, ``iter(f, x)``).

The dialect is a contract with the user, not the security boundary: the GraalPy context around it is.
``lock_down_interpreter`` closes the few process-wide side doors GraalPy leaves open in a context (JVM signal
handlers, the JVM default time zone); it belongs with the context's construction and is called from here until
the sandbox does it itself.
"""

import _string
import restricted_syntax as ast  # ast's node classes and helpers, without ast's imports
import builtins
import math
import operator as _operator  # GraalPy's _operator has no ipow: operator.py defines it
import sys
import types

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
    "co_code", "co_consts", "func_globals", "mro", "cell_contents",
))

# Underscore names harmless to read: strings, or methods whose own attributes stay guarded.
SAFE_UNDERSCORE_ATTRIBUTES = frozenset(("__name__", "__qualname__", "__doc__", "__module__", "__init__",
                                        "__class__"))

# Integers made by ``**``, ``<<``, ``pow`` and a few ``math`` functions stay below this many bits (about 301,000
# decimal digits). Beyond it one operation is a single uninterruptible call into Java's BigInteger: measured
# here, 7 ** 3_500_000 (10 million bits) takes 2 s and one division of such numbers 9 s, while 10 ** 10 ** 8
# runs for minutes. The Statement Timeout can only stop a statement between such calls.
INT_BITS_LIMIT = 1_000_000
_SMALL_EXPONENT = 64  # x ** e with e <= 64 and |x| < 2 ** 63, or x << n with n <= 64: far below the limit
_LONG_MIN = -(1 << 63)
_LONG_MAX = (1 << 63) - 1

_real_import = builtins.__import__
_real_getattr = builtins.getattr
_real_pow = builtins.pow
_ModuleType = types.ModuleType
_FORMAT_METHODS = frozenset(("format", "format_map"))

# Names the transformation introduces. They start with "__", which a statement cannot write (see _check_name).
_IMPORT = "__rp_import__"
_IMPORT_FROM = "__rp_import_from__"
_ATTRIBUTE = "__rp_attribute__"
_VALUE = "__rp_value__"
_FORMAT = "__rp_format__"
_POW = "__rp_pow__"
_LSHIFT = "__rp_lshift__"
_INPLACE = "__rp_inplace__"
_AUGMENT_ITEM = "__rp_augment_item__"
_AUGMENT_ATTRIBUTE = "__rp_augment_attribute__"
_SLICE = "__rp_slice__"
_BIND = "__rp_bind__"


class RestrictedDialectError(Exception):
    """A rule of the dialect was broken; carries the line of the statement that broke it."""

    def __init__(self, error_type, message, line):
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.line = line


# ---------------------------------------------------------------------------------------------- static rules


def check(tree):
    """Raises RestrictedDialectError for the first rule the statement's AST breaks."""
    for node in ast.walk(tree):
        _check_import(node)
        _check_type_hint(node)
        _check_attribute(node)
        _check_name(node)
        _check_global(node)
        _check_literal_format(node)


def _check_import(node):
    if isinstance(node, ast.Import):
        for alias in node.names:
            _require_allowed(alias.name, node.lineno)
    elif isinstance(node, ast.ImportFrom):
        if node.level:
            raise RestrictedDialectError("ImportError", "relative imports are not allowed", node.lineno)
        _require_allowed(node.module, node.lineno)
        for alias in node.names:
            if alias.name == "*":
                raise RestrictedDialectError(
                    "SyntaxError", "'from %s import *' is not supported in restricted Python; import the names "
                                   "you use" % node.module, node.lineno)
            if not is_allowed_attribute(alias.name):
                raise RestrictedDialectError(
                    "ImportError", "cannot import name '%s' from '%s': %s" % (
                        alias.name, node.module, attribute_refusal(alias.name)), node.lineno)


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


def _check_global(node):
    """``global getattr`` then ``del getattr`` would uncover the real builtin behind the dialect's guard."""
    if isinstance(node, (ast.Global, ast.Nonlocal)):
        for name in node.names:
            if name in _PROTECTED_GLOBALS or name.startswith("__"):
                raise RestrictedDialectError(
                    "SyntaxError", "'%s' is provided by restricted Python and cannot be declared %s" % (
                        name, "global" if isinstance(node, ast.Global) else "nonlocal"), node.lineno)


def _check_literal_format(node):
    """``"{0.__class__}".format(x)`` written with a literal template fails before the statement runs."""
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _FORMAT_METHODS
            and isinstance(node.func.value, ast.Constant) and isinstance(node.func.value.value, str)):
        try:
            check_format_template(node.func.value.value)
        except AttributeError as error:
            raise RestrictedDialectError("AttributeError", str(error), node.lineno)
        except ValueError:
            pass  # not a valid template: str.format says so when it runs


def is_allowed_attribute(name):
    if name.startswith("_"):
        return name in SAFE_UNDERSCORE_ATTRIBUTES
    return name not in INTROSPECTION_ATTRIBUTES


def attribute_refusal(name):
    return "access to attribute '%s' is not allowed in restricted Python" % name


def module_refusal(name):
    return "module '%s' is not available in restricted Python" % name


# ---------------------------------------------------------------------------------------------- transformation


def transform(tree):
    """Rewrites a checked statement AST (in place) so that its imports, attribute reads, format calls and integer
    powers go through the run-time guards. Returns the tree."""
    rewriter = _Rewriter(_import_only_names(tree))
    tree.body = _flatten([rewriter.visit(statement) for statement in tree.body])
    used = sorted({node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and node.id.startswith("__rp_")})
    if used:
        # The guards become local variables of the statement (nested functions see them as closures): GraalPy
        # reads a local at once, while a hit in a dict used as globals costs about 70 ns per call (measured).
        prologue = ast.Assign(targets=[ast.Tuple(elts=[ast.Name(id=name, ctx=ast.Store()) for name in used],
                                                 ctx=ast.Store())],
                              value=_call(_BIND, ast.Constant(tuple(used))))
        tree.body.insert(0, ast.copy_location(prologue, tree.body[0]))
    ast.fix_missing_locations(tree)
    return tree


def _flatten(statements):
    flat = []
    for statement in statements:
        if isinstance(statement, list):
            flat.extend(statement)
        elif statement is not None:
            flat.append(statement)
    return flat


def _import_only_names(tree):
    """Names bound by ``import a`` / ``import a.b as c`` and by nothing else: they always hold a module shadow, so
    reading their attributes needs no run-time check (the shadow does it)."""
    imported = set()
    bound = set(dir(builtins)) | set(_STATEMENT_NAMES) | {"INPUT_DATA", "DATA_CHECKPOINT", "ATTRIBUTES",
                                                          "PROPERTIES", "log", "sleep"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                imported.add(alias.asname or alias.name.partition(".")[0])
        elif isinstance(node, ast.ImportFrom):
            bound.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bound.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and node.name:
            bound.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            bound.add(node.rest)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            bound.update(node.names)
        elif hasattr(ast, "TypeVar") and isinstance(node, (ast.TypeVar, ast.ParamSpec, ast.TypeVarTuple)):
            bound.add(node.name)
    return frozenset(imported - bound)


# ``x ** 2``, ``x ** 0.5``, ``x << 8`` written with a literal need no guard: the result grows no faster than a
# multiplication's (which is not guarded either), and hot loops (``i ** 2``) keep their speed.
_FREE_EXPONENT = 4


def _small_literal(node, bound):
    if not isinstance(node, ast.Constant) or isinstance(node.value, bool):
        return False
    value = node.value
    if isinstance(value, float):
        return bound == _FREE_EXPONENT  # a float power is a float
    return isinstance(value, int) and 0 <= value <= bound


def _call(name, *arguments, keywords=()):
    return ast.Call(func=ast.Name(id=name, ctx=ast.Load()), args=list(arguments), keywords=list(keywords))


class _Rewriter(ast.NodeTransformer):

    def __init__(self, module_names):
        self.module_names = module_names

    def visit_Import(self, node):
        assignments = []
        for alias in node.names:
            if alias.asname:
                target, leaf = alias.asname, True
            else:
                target, leaf = alias.name.partition(".")[0], False
            value = _call(_IMPORT, ast.Constant(alias.name), ast.Constant(leaf))
            assignments.append(ast.copy_location(
                ast.Assign(targets=[ast.Name(id=target, ctx=ast.Store())], value=value), node))
        return assignments

    def visit_ImportFrom(self, node):
        assignments = []
        for alias in node.names:
            value = _call(_IMPORT_FROM, ast.Constant(node.module), ast.Constant(alias.name))
            assignments.append(ast.copy_location(
                ast.Assign(targets=[ast.Name(id=alias.asname or alias.name, ctx=ast.Store())], value=value), node))
        return assignments

    def visit_Call(self, node):
        function = node.func
        if isinstance(function, ast.Attribute):
            # a method call: the attribute is called at once, so it cannot hand a module to the statement
            function.value = self.visit(function.value)
            node.args = [self.visit(argument) for argument in node.args]
            node.keywords = [self.visit(keyword) for keyword in node.keywords]
            if function.attr in _FORMAT_METHODS:
                return ast.copy_location(
                    _call(_FORMAT, function.value, ast.Constant(function.attr), *node.args, keywords=node.keywords),
                    node)
            return node
        return self.generic_visit(node)

    def visit_Attribute(self, node):
        node.value = self.visit(node.value)
        if not isinstance(node.ctx, ast.Load):
            return node
        if isinstance(node.value, ast.Name) and node.value.id in self.module_names:
            return node
        if node.attr in _FORMAT_METHODS:
            return ast.copy_location(_call(_ATTRIBUTE, node.value, ast.Constant(node.attr)), node)
        # the read itself stays a plain attribute read (with its inline caches); only its value is checked
        return ast.copy_location(_call(_VALUE, node), node)

    def visit_BinOp(self, node):
        self.generic_visit(node)
        if isinstance(node.op, ast.Pow) and not _small_literal(node.right, _FREE_EXPONENT):
            return ast.copy_location(_call(_POW, node.left, node.right), node)
        if isinstance(node.op, ast.LShift) and not _small_literal(node.right, _SMALL_EXPONENT):
            return ast.copy_location(_call(_LSHIFT, node.left, node.right), node)
        return node

    def visit_AugAssign(self, node):
        if not isinstance(node.op, (ast.Pow, ast.LShift)):
            return self.generic_visit(node)
        operator = ast.Constant("**" if isinstance(node.op, ast.Pow) else "<<")
        value = self.visit(node.value)
        target = node.target
        if isinstance(target, ast.Name):
            current = ast.Name(id=target.id, ctx=ast.Load())
            replacement = ast.Assign(targets=[target], value=_call(_INPLACE, operator, current, value))
        elif isinstance(target, ast.Subscript):
            replacement = ast.Expr(_call(_AUGMENT_ITEM, operator, self.visit(target.value),
                                         self._slice_value(target.slice), value))
        else:
            replacement = ast.Expr(_call(_AUGMENT_ATTRIBUTE, operator, self.visit(target.value),
                                         ast.Constant(target.attr), value))
        return ast.copy_location(replacement, node)

    def _slice_value(self, index):
        if isinstance(index, ast.Slice):
            parts = [self.visit(part) if part is not None else ast.Constant(None)
                     for part in (index.lower, index.upper, index.step)]
            return ast.copy_location(_call(_SLICE, *parts), index)
        if isinstance(index, ast.Tuple) and any(isinstance(element, ast.Slice) for element in index.elts):
            return ast.copy_location(ast.Tuple(elts=[self._slice_value(element) for element in index.elts],
                                               ctx=ast.Load()), index)
        return self.visit(index)

    # Patterns must stay dotted names; matching a value or a class hands nothing to the statement.
    def visit_MatchValue(self, node):
        return node

    def visit_MatchClass(self, node):
        node.patterns = [self.visit(pattern) for pattern in node.patterns]
        node.kwd_patterns = [self.visit(pattern) for pattern in node.kwd_patterns]
        return node


# ---------------------------------------------------------------------------------------------- module shadows


_SHADOWS = {}        # real module name -> (real module, shadow)
_SHADOW_IDS = set()  # id() of every shadow made here
_REAL_MODULES = {}   # id(shadow) -> real module, for writes
_COPIED_DUNDERS = ("__name__", "__doc__", "__package__", "__version__", "__all__")


def is_reachable_module(name):
    """An allowed module, a submodule of one (xml.etree.ElementTree under xml), or a package on the way to one
    (passlib, for passlib.hash)."""
    probe = name
    while True:
        if probe in ALLOWED_MODULES:
            return True
        probe, dot, _ = probe.rpartition(".")
        if not dot:
            break
    prefix = name + "."
    return any(allowed.startswith(prefix) for allowed in ALLOWED_MODULES)


def module_value(module, alias=None):
    """What the statement gets instead of a module object: its shadow, or AttributeError. ``alias`` is the
    dotted path the module was reached by, when ``sys.modules`` registers it under that path too
    (``xml.parsers.expat.errors`` is the module named ``pyexpat.errors``)."""
    if id(module) in _SHADOW_IDS:
        return module
    name = _real_getattr(module, "__name__", None)
    if not isinstance(name, str):
        raise AttributeError(module_refusal("?"))
    if not is_reachable_module(name) and not (
            alias is not None and is_reachable_module(alias) and sys.modules.get(alias) is module):
        raise AttributeError(module_refusal(name))
    known = _SHADOWS.get(name)
    if known is not None and known[0] is module:
        return known[1]
    shadow = _make_shadow(module, name)
    _SHADOWS[name] = (module, shadow)
    _SHADOW_IDS.add(id(shadow))
    _REAL_MODULES[id(shadow)] = module
    return shadow


class _ModuleShadow(_ModuleType):
    """A module as the statement sees it. Reads come from its own namespace (a copy of the real module's public
    names, as fast as a module's); writes go to the real module too, so that configuring a library works
    (``openai.api_key = ...``); private names can be neither read nor written."""

    def __setattr__(self, name, value):
        if name.startswith("_"):
            raise AttributeError(attribute_refusal(name))
        real = _REAL_MODULES.get(id(self))
        if real is not None:
            setattr(real, name, value)
        _ModuleType.__setattr__(self, name, value)

    def __delattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(attribute_refusal(name))
        real = _REAL_MODULES.get(id(self))
        if real is not None and hasattr(real, name):
            delattr(real, name)
        if name in self.__dict__:
            _ModuleType.__delattr__(self, name)


_ModuleShadow.__name__ = _ModuleShadow.__qualname__ = "module"


def _make_shadow(module, name):
    shadow = _ModuleShadow(name)
    namespace = shadow.__dict__
    for key, value in list(module.__dict__.items()):
        if key.startswith("_"):
            if key in _COPIED_DUNDERS:
                namespace[key] = value
        elif not isinstance(value, _ModuleType):
            namespace[key] = value  # modules are left to __getattr__, which applies the rule when asked

    def __getattr__(attribute):
        if attribute.startswith("_"):
            raise AttributeError(attribute_refusal(attribute))
        value = _real_getattr(module, attribute)
        if isinstance(value, _ModuleType):
            value = module_value(value, name + "." + attribute)
            namespace[attribute] = value
        return value

    namespace["__getattr__"] = __getattr__
    overrides = _MODULE_OVERRIDES.get(name)
    for key, value in (overrides() if overrides else {}).items():
        if key in namespace or hasattr(module, key):
            namespace[key] = value
    return shadow


def guarded_import(name, globals=None, locals=None, fromlist=(), level=0):
    """``__import__`` as the statement sees it: the same rule as the static check, for dynamic calls."""
    if level:
        raise ImportError("relative imports are not allowed")
    if not isinstance(name, str) or name not in ALLOWED_MODULES:
        raise ImportError(import_refusal(name))
    return module_value(_real_import(name, None, None, fromlist, 0))


def import_module(name, leaf):
    """``import a.b`` binds the shadow of ``a`` (leaf False); ``import a.b as c`` the shadow of ``a.b``."""
    if name not in ALLOWED_MODULES:
        raise ImportError(import_refusal(name))
    module = _real_import(name, None, None, (), 0)
    return module_value(sys.modules[name] if leaf else module)


def import_from(module_name, attribute):
    """``from a import b``: b as the shadow of a has it (a submodule is imported first, as Python does)."""
    if module_name not in ALLOWED_MODULES:
        raise ImportError(import_refusal(module_name))
    if not isinstance(attribute, str) or not is_allowed_attribute(attribute):
        raise ImportError("cannot import name '%s' from '%s': %s" % (attribute, module_name,
                                                                     attribute_refusal(attribute)))
    shadow = module_value(_real_import(module_name, None, None, (attribute,), 0))
    try:
        return _real_getattr(shadow, attribute)
    except AttributeError as error:
        message = str(error)
        if "restricted Python" not in message:
            message = "the module has no attribute '%s'" % attribute
        raise ImportError("cannot import name '%s' from '%s': %s" % (attribute, module_name, message)) from None


# ---------------------------------------------------------------------------------------------- attribute guards


def guarded_attribute(obj, name):
    """``obj.name`` read as a value (not called at once): a module becomes its shadow or fails, ``str.format``
    becomes the checked version."""
    if not isinstance(name, str) or not is_allowed_attribute(name):
        raise AttributeError(attribute_refusal(name))
    value = _real_getattr(obj, name)
    if isinstance(value, _ModuleType):
        return module_value(value)
    if name in _FORMAT_METHODS and _is_str_or_str_type(obj):
        return _checked_format_method(obj, name)
    return value


def checked_value(value):
    """The value of an attribute read (``obj.name``): a module becomes its shadow or fails."""
    if isinstance(value, _ModuleType):
        return module_value(value)
    return value


_MISSING = object()


def guarded_getattr(obj, name, default=_MISSING):
    if isinstance(name, str) and not is_allowed_attribute(name):
        raise AttributeError(attribute_refusal(name))
    if default is _MISSING:
        return guarded_attribute(obj, name)
    try:
        return guarded_attribute(obj, name)
    except AttributeError as error:
        if "restricted Python" in str(error):
            raise
        return default


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


# ---------------------------------------------------------------------------------------------- format strings


def format_refusal(name):
    return "format strings cannot access attribute '%s' in restricted Python" % name


def check_format_template(template, depth=0):
    """Raises AttributeError when a replacement field of a str.format template reads a refused attribute
    (``{0.__class__}``, ``{x.gi_frame}``), nested fields of the format spec included."""
    for _literal, field, spec, _conversion in _string.formatter_parser(template):
        if field:
            _first, rest = _string.formatter_field_name_split(field)
            for is_attribute, key in rest:
                if is_attribute and not is_allowed_attribute(key):
                    raise AttributeError(format_refusal(key))
        if spec and depth < 4 and "{" in spec:
            check_format_template(spec, depth + 1)


def _is_str_or_str_type(obj):
    return isinstance(obj, str) or (isinstance(obj, type) and issubclass(obj, str))


def _checked_format_method(obj, name):
    method = _real_getattr(obj, name)
    if isinstance(obj, str):
        def checked(*args, **kwargs):
            check_format_template(obj)
            return method(*args, **kwargs)
    else:
        def checked(template, *args, **kwargs):
            if isinstance(template, str):
                check_format_template(template)
            return method(template, *args, **kwargs)
    checked.__name__ = name
    checked.__qualname__ = "str." + name
    return checked


def guarded_format(obj, name, *args, **kwargs):
    """``obj.format(...)`` / ``obj.format_map(...)``: a str template is checked before it runs."""
    if name not in _FORMAT_METHODS:
        raise AttributeError(attribute_refusal(name))
    if isinstance(obj, str):
        check_format_template(obj)
    elif isinstance(obj, type) and issubclass(obj, str) and args and isinstance(args[0], str):
        check_format_template(args[0])
    return _real_getattr(obj, name)(*args, **kwargs)


class SafeFormatter:
    """``string.Formatter`` as the statement sees it: the same methods to override, but fields may not read
    refused attributes. It does not inherit from the real Formatter, so ``super()`` cannot reach the unchecked
    ``get_field``; the real formatting loop runs in a private bridge that calls back into this object."""

    def format(self, format_string, /, *args, **kwargs):
        return self.vformat(format_string, args, kwargs)

    def vformat(self, format_string, args, kwargs):
        return _formatter_bridge(self).vformat(format_string, args, kwargs)

    def parse(self, format_string):
        return _string.formatter_parser(format_string)

    def get_field(self, field_name, args, kwargs):
        first, rest = _string.formatter_field_name_split(field_name)
        obj = self.get_value(first, args, kwargs)
        for is_attribute, key in rest:
            if is_attribute:
                if not is_allowed_attribute(key):
                    raise AttributeError(format_refusal(key))
                obj = guarded_attribute(obj, key)
            else:
                obj = obj[key]
        return obj, first

    def get_value(self, key, args, kwargs):
        return args[key] if isinstance(key, int) else kwargs[key]

    def check_unused_args(self, used_args, args, kwargs):
        pass

    def format_field(self, value, format_spec):
        return format(value, format_spec)

    def convert_field(self, value, conversion):
        from string import Formatter
        return Formatter.convert_field(self, value, conversion)  # reads only value and conversion


SafeFormatter.__name__ = SafeFormatter.__qualname__ = "Formatter"
SafeFormatter.__module__ = "string"


_formatter_bridge_class = []


def _formatter_bridge(outer):
    """The real Formatter's loop, every step handed to the statement's SafeFormatter. The class is made on first
    use: ``string`` imports ``re``, which a context that never formats this way need not load."""
    if not _formatter_bridge_class:
        from string import Formatter

        class _FormatterBridge(Formatter):
            def __init__(self, outer):
                self.outer = outer

            def parse(self, format_string):
                return self.outer.parse(format_string)

            def get_field(self, field_name, args, kwargs):
                return self.outer.get_field(field_name, args, kwargs)

            def get_value(self, key, args, kwargs):
                return self.outer.get_value(key, args, kwargs)

            def check_unused_args(self, used_args, args, kwargs):
                return self.outer.check_unused_args(used_args, args, kwargs)

            def format_field(self, value, format_spec):
                return self.outer.format_field(value, format_spec)

            def convert_field(self, value, conversion):
                return self.outer.convert_field(value, conversion)

        _formatter_bridge_class.append(_FormatterBridge)
    return _formatter_bridge_class[0](outer)


# ---------------------------------------------------------------------------------------------- big integers


def integer_refusal(operation, bits):
    return ("the result of %s would have about %s bits; restricted Python limits integers made by **, << and "
            "pow to %s bits" % (operation, format(int(bits), ","), format(INT_BITS_LIMIT, ",")))


def _check_power(base, exponent):
    if -1 <= base <= 1:
        return
    bits = exponent * math.log2(abs(base))
    if bits > INT_BITS_LIMIT:
        raise OverflowError(integer_refusal("**", bits))


def guarded_power(base, exponent):
    """``base ** exponent`` with the integer bound."""
    if isinstance(exponent, int) and exponent > 1 and isinstance(base, int):
        if exponent > _SMALL_EXPONENT or not _LONG_MIN <= base <= _LONG_MAX:
            _check_power(base, exponent)
    return base ** exponent


def guarded_pow(base, exponent, modulus=None):
    """``pow(base, exponent[, modulus])`` with the integer bound."""
    if modulus is None:
        return guarded_power(base, exponent)
    if isinstance(modulus, int) and isinstance(exponent, int):
        size = abs(modulus).bit_length()
        if size > INT_BITS_LIMIT or size * exponent.bit_length() > INT_BITS_LIMIT * _SMALL_EXPONENT:
            raise OverflowError("pow() with a %s-bit modulus and a %s-bit exponent is too large to compute in "
                                "restricted Python" % (format(size, ","), format(exponent.bit_length(), ",")))
    return _real_pow(base, exponent, modulus)


def guarded_lshift(value, count):
    if isinstance(count, int) and count > _SMALL_EXPONENT and isinstance(value, int) and value:
        bits = abs(value).bit_length() + count
        if bits > INT_BITS_LIMIT:
            raise OverflowError(integer_refusal("<<", bits))
    return value << count


def guarded_inplace(operator, target, value):
    """``target **= value`` / ``target <<= value``: the integer bound for ints, ``__ipow__``/``__ilshift__``
    for everything else (a numpy array changes in place, as it would without the dialect)."""
    if isinstance(target, int) and isinstance(value, int):
        return guarded_power(target, value) if operator == "**" else guarded_lshift(target, value)
    return _operator.ipow(target, value) if operator == "**" else _operator.ilshift(target, value)


def guarded_augment_item(operator, container, key, value):
    container[key] = guarded_inplace(operator, container[key], value)


def guarded_augment_attribute(operator, obj, name, value):
    if not isinstance(name, str) or not is_allowed_attribute(name):
        raise AttributeError(attribute_refusal(name))
    setattr(obj, name, guarded_inplace(operator, guarded_attribute(obj, name), value))


def _bounded_int_argument(function_name, value):
    if isinstance(value, int) and abs(value).bit_length() > INT_BITS_LIMIT:
        raise OverflowError("%s() of a %s-bit integer is too large to compute in restricted Python"
                            % (function_name, format(abs(value).bit_length(), ",")))


def _guarded_math():
    import math as real

    def factorial(n):
        if isinstance(n, int) and n > 1 and n * math.log2(n) > INT_BITS_LIMIT:
            raise OverflowError(integer_refusal("factorial(%d)" % n, n * math.log2(n)))
        return real.factorial(n)

    def comb(n, k):
        if isinstance(n, int) and isinstance(k, int) and 0 < k < n:
            bits = min(k, n - k) * math.log2(n)
            if bits > INT_BITS_LIMIT:
                raise OverflowError(integer_refusal("comb()", bits))
        return real.comb(n, k)

    def perm(n, k=None):
        if isinstance(n, int) and n > 1:
            count = n if k is None else k
            if isinstance(count, int) and count > 0 and min(count, n) * math.log2(n) > INT_BITS_LIMIT:
                raise OverflowError(integer_refusal("perm()", min(count, n) * math.log2(n)))
        return real.perm(n) if k is None else real.perm(n, k)

    def isqrt(n):
        _bounded_int_argument("isqrt", n)
        return real.isqrt(n)

    def gcd(*integers):
        for value in integers:
            _bounded_int_argument("gcd", value)
        return real.gcd(*integers)

    def lcm(*integers):
        for value in integers:
            _bounded_int_argument("lcm", value)
        return real.lcm(*integers)

    functions = {"factorial": factorial, "comb": comb, "perm": perm, "isqrt": isqrt, "gcd": gcd, "lcm": lcm}
    for name, function in functions.items():
        function.__qualname__ = name
        function.__doc__ = _real_getattr(real, name).__doc__
    return functions


# ---------------------------------------------------------------------------------------------- long iterations

# A builtin that consumes a builtin iterator (sum, max, any, sorted, set, list...) loops in Java, where the
# Statement Timeout cannot stop it: measured here, sum(range(10 ** 10)) ran for more than four minutes past a
# 2 s timeout, and sum(itertools.repeat(1)) never ends. The sources of such iterations (huge ranges, infinite or
# combinatorial itertools, iter(callable, sentinel)) hand the statement a Python generator instead, whose every
# step is a point where the timeout (and the memory guard) can stop the run.
LARGE_RANGE = 10_000_000
_real_range = builtins.range
_real_iter = builtins.iter


def _stoppable(iterator):
    yield from iterator


class _RangeType(type):
    def __instancecheck__(cls, instance):
        return isinstance(instance, (_real_range, LargeRange))

    def __subclasscheck__(cls, subclass):
        return issubclass(subclass, (_real_range, LargeRange))


class GuardedRange(metaclass=_RangeType):
    """``range`` as the statement sees it: the builtin range up to LARGE_RANGE items, a LargeRange beyond."""

    def __new__(cls, *args):
        real = _real_range(*args)
        try:
            if len(real) <= LARGE_RANGE:
                return real
        except OverflowError:
            pass
        return LargeRange(real)


GuardedRange.__name__ = GuardedRange.__qualname__ = "range"


class LargeRange:
    """A range of more than LARGE_RANGE items: the same values, iterated one Python step at a time."""

    __slots__ = ("_range",)

    def __init__(self, real):
        self._range = real

    start = property(lambda self: self._range.start)
    stop = property(lambda self: self._range.stop)
    step = property(lambda self: self._range.step)

    def __iter__(self):
        return _stoppable(self._range)

    def __reversed__(self):
        return _stoppable(reversed(self._range))

    def __len__(self):
        return len(self._range)

    def __bool__(self):
        return bool(self._range)

    def __contains__(self, value):
        return value in self._range

    def __getitem__(self, index):
        item = self._range[index]
        return GuardedRange(item.start, item.stop, item.step) if isinstance(item, _real_range) else item

    def count(self, value):
        return self._range.count(value)

    def index(self, value):
        return self._range.index(value)

    def __eq__(self, other):
        return self._range == (other._range if isinstance(other, LargeRange) else other)

    def __hash__(self):
        return hash(self._range)

    def __repr__(self):
        return repr(self._range)


def guarded_iter(obj, *sentinel):
    """``iter(callable, sentinel)`` calls a builtin callable in a Java loop (``sum(iter(int, 1))`` never ends)."""
    if sentinel:
        return _stoppable(_real_iter(obj, *sentinel))
    return _real_iter(obj)


def _guarded_itertools():
    import itertools as real

    def count(*args, **kwargs):
        return _stoppable(real.count(*args, **kwargs))

    def cycle(iterable):
        return _stoppable(real.cycle(iterable))

    def repeat(obj, *times):
        if times and isinstance(times[0], int) and times[0] <= LARGE_RANGE:
            return real.repeat(obj, *times)
        return _stoppable(real.repeat(obj, *times))

    def product(*iterables, **kwargs):
        return _stoppable(real.product(*iterables, **kwargs))

    def permutations(iterable, r=None):
        return _stoppable(real.permutations(iterable, r))

    def combinations(iterable, r):
        return _stoppable(real.combinations(iterable, r))

    def combinations_with_replacement(iterable, r):
        return _stoppable(real.combinations_with_replacement(iterable, r))

    functions = {"count": count, "cycle": cycle, "repeat": repeat, "product": product,
                 "permutations": permutations, "combinations": combinations,
                 "combinations_with_replacement": combinations_with_replacement}
    for name, function in functions.items():
        function.__qualname__ = name
        function.__doc__ = _real_getattr(real, name).__doc__
    return functions


def _guarded_random():
    import random as real

    def getrandbits(k):
        if isinstance(k, int) and k > INT_BITS_LIMIT:
            raise OverflowError(integer_refusal("getrandbits(%d)" % k, k))
        return real.getrandbits(k)

    return {"getrandbits": getrandbits}


def _guarded_json():
    """The one-shot JSON encoder is a single Java call: ``json.dumps`` of a structure that shares references
    (``x = [x] * 10`` nine times is 10**10 leaves in a few bytes) would run past the Statement Timeout. The
    statement's encoder always takes the step-by-step Python path instead, where the timeout and the memory guard
    can stop it."""
    import json as real

    class JSONEncoder(real.JSONEncoder):
        __doc__ = real.JSONEncoder.__doc__

        def iterencode(self, o, _one_shot=False):
            return real.JSONEncoder.iterencode(self, o, False)

    def dumps(obj, *, cls=None, **kwargs):
        return "".join((cls or JSONEncoder)(**kwargs).iterencode(obj))

    def dump(obj, fp, *, cls=None, **kwargs):
        for chunk in (cls or JSONEncoder)(**kwargs).iterencode(obj):
            fp.write(chunk)

    JSONEncoder.__module__ = dumps.__module__ = dump.__module__ = "json"
    dumps.__doc__, dump.__doc__ = real.dumps.__doc__, real.dump.__doc__
    return {"JSONEncoder": JSONEncoder, "dumps": dumps, "dump": dump}


# ---------------------------------------------------------------------------------------------- builtins


class _Unavailable:
    """Stands in for a removed builtin: using it fails with a sentence that names it."""

    __slots__ = ("_name",)

    def __init__(self, name):
        self._name = name

    def __call__(self, *args, **kwargs):
        raise NameError(missing_builtin_message(self._name))

    def __repr__(self):
        return "<%s: not available in restricted Python>" % self._name


def missing_builtin_message(name):
    return "'%s' is not available in restricted Python" % name


# What a shadow shows instead of the real attribute, per module: files (the sandbox has none), process-wide
# state, integer work that cannot be interrupted, and format strings that read attributes. Each is made when the
# statement first reaches the module (the real module is loaded by then): loading random, json or string for
# every context would cost a second of the first context's start (they import re, enum and their dependencies).
_MODULE_OVERRIDES = {
    "io": lambda: {"open": _Unavailable("io.open"), "open_code": _Unavailable("io.open_code"),
                   "FileIO": _Unavailable("io.FileIO")},
    "time": lambda: {"tzset": _Unavailable("time.tzset")},
    "string": lambda: {"Formatter": SafeFormatter},
    "math": _guarded_math,
    "random": _guarded_random,
    "itertools": _guarded_itertools,
    "json": _guarded_json,
}

_STATEMENT_NAMES = {
    "__import__": guarded_import,
    "getattr": guarded_getattr,
    "hasattr": guarded_hasattr,
    "setattr": guarded_setattr,
    "delattr": guarded_delattr,
    "pow": guarded_pow,
    "range": GuardedRange,
    "iter": guarded_iter,
    _IMPORT: import_module,
    _IMPORT_FROM: import_from,
    _ATTRIBUTE: guarded_attribute,
    _VALUE: checked_value,
    _FORMAT: guarded_format,
    _POW: guarded_power,
    _LSHIFT: guarded_lshift,
    _INPLACE: guarded_inplace,
    _AUGMENT_ITEM: guarded_augment_item,
    _AUGMENT_ATTRIBUTE: guarded_augment_attribute,
    _SLICE: slice,
}

_HELPERS = {name: value for name, value in _STATEMENT_NAMES.items() if name.startswith("__rp_")}


def bind_helpers(names):
    """The guards the transformed statement uses, bound once per run as its local variables. Every guard checks
    its own arguments: a statement can reach them (``locals()``) and call them with anything."""
    return tuple(_HELPERS[name] for name in names)


_STATEMENT_NAMES[_BIND] = bind_helpers
_PROTECTED_GLOBALS = frozenset(REMOVED_BUILTINS | set(_STATEMENT_NAMES))


def statement_globals():
    """The globals a statement runs with. GraalPy resolves builtins from the real builtins module whatever a
    function's globals say, so the dialect's versions shadow them here, where name lookup finds them first."""
    lock_down_interpreter()
    namespace = {name: _Unavailable(name) for name in REMOVED_BUILTINS}
    namespace.update(_STATEMENT_NAMES)
    return namespace


# ---------------------------------------------------------------------------------------------- process-wide state


def _refuse_signals(*args, **kwargs):
    raise PermissionError("signals are not available in the sandbox: they would reach the whole JVM")


def _refuse_time_zone_change(*args, **kwargs):
    raise PermissionError("time.tzset is not available in the sandbox: it would change the JVM's default time zone")


def _no_collection(generation=2):
    return 0


_locked = []


def lock_down_interpreter():
    """Closes what a GraalPy 25.0 context can change in the whole JVM, whatever code runs in it (measured):

    - ``signal.raise_signal(SIGTERM|SIGINT|SIGHUP)`` raises the signal in the JVM process (``sun.misc.Signal``):
      the JVM shuts down. ``signal.signal`` installs a process-wide JVM handler (``SIG_IGN`` on SIGTERM leaves the
      JVM deaf to ``kill``), ``signal.alarm``/``setitimer`` start a host thread outside ``allowCreateThread``.
    - ``time.tzset()`` calls ``TimeZone.setDefault`` with the context's (empty) TZ: the JVM's default time zone
      becomes GMT for every thread.
    - ``gc.collect()`` calls ``System.gc()``: a full collection of the JVM's heap per call.

    Builtin modules are singletons, so the replaced functions stay replaced through re-imports and reloads."""
    if _locked:
        return
    import _signal
    # signal.py copies _signal's functions when it is imported (from _signal import *): patch both
    modules = [_signal]
    if sys.modules.get("signal") is not None:
        modules.append(sys.modules["signal"])
    for module in modules:
        for name in ("signal", "raise_signal", "alarm", "setitimer", "getitimer", "siginterrupt", "set_wakeup_fd",
                     "pause", "pthread_kill", "pthread_sigmask", "sigwait", "sigwaitinfo", "sigtimedwait"):
            if hasattr(module, name):
                setattr(module, name, _refuse_signals)
    # GraalPy's getsignal briefly sets the JVM's handler to SIG_DFL to read it; signal.getsignal calls this one
    default = _signal.SIG_DFL
    _signal.getsignal = lambda signalnum: default
    import time
    time.tzset = _refuse_time_zone_change
    import gc
    gc.collect = _no_collection
    _locked.append(True)
