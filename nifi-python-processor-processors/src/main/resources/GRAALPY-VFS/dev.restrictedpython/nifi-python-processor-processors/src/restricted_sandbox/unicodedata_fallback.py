"""Pure-Python stand-ins for the parts of ``unicodedata`` that GraalPy 25.0 serves from a native module.

GraalPy implements ``category``, ``bidirectional``, ``name``, ``normalize`` and ``is_normalized`` in Java and
delegates everything else (``combining``, ``east_asian_width``, ``mirrored``, ``decomposition``, ``decimal``,
``digit``, ``numeric``, ``lookup``, ``ucd_3_2_0``) to ``_cpython_unicodedata``, a C extension that a context
without native access cannot load. Yet the standard library and the bundled packages need them: ``stringprep``
(so ``encodings.idna``, so ``requests`` and ``openai``, and ``passlib``) imports ``ucd_3_2_0``; ``tqdm`` (so
``openai``) imports ``east_asian_width``; ``idna`` calls ``combining``.

Accuracy: ``combining``, ``east_asian_width`` and ``mirrored`` come from tables generated from Unicode 14.0.0
(``unicode_tables``); GraalPy's own functions answer from Unicode 16.0.0, so characters assigned after 14.0 get
the default value. ``decomposition``, ``decimal``, ``digit`` and ``numeric`` are derived from the Java-backed
normalisation and ``str`` predicates: ``decomposition`` gives the full (not one-level) canonical decomposition
and tags compatibility decompositions ``<compat>``; ``numeric`` knows digits and vulgar fractions only.
``ucd_3_2_0`` answers from the current database, not from Unicode 3.2 (so ``stringprep`` treats characters
assigned after 3.2 as assigned).
"""

import bisect
import re
import unicodedata

_MISSING = object()
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 \-]*\Z")
_HANGUL_SYLLABLES = (0xAC00, 0xD7A3)


def _char(function, value):
    if not isinstance(value, str):
        raise TypeError("%s() argument must be a unicode character, not %s" % (function, type(value).__name__))
    if len(value) != 1:
        raise TypeError("%s() argument must be a unicode character, not str" % function)
    return ord(value)


class _RangeTable:
    """(first, last, value) rows, looked up by binary search; loaded on first use."""

    def __init__(self, attribute, default):
        self._attribute = attribute
        self._default = default
        self._rows = None
        self._starts = None

    def __call__(self, code_point):
        if self._rows is None:
            from restricted_sandbox import unicode_tables
            self._rows = getattr(unicode_tables, self._attribute)
            self._starts = [row[0] for row in self._rows]
        index = bisect.bisect_right(self._starts, code_point) - 1
        if index >= 0 and self._rows[index][1] >= code_point:
            return self._rows[index][2]
        return self._default


_combining = _RangeTable("COMBINING", 0)
_east_asian_width = _RangeTable("EAST_ASIAN_WIDTH", "N")
_mirrored = _RangeTable("MIRRORED", 0)


def combining(chr):
    return _combining(_char("combining", chr))


def east_asian_width(chr):
    return _east_asian_width(_char("east_asian_width", chr))


def mirrored(chr):
    return _mirrored(_char("mirrored", chr))


def decomposition(chr):
    code_point = _char("decomposition", chr)
    if _HANGUL_SYLLABLES[0] <= code_point <= _HANGUL_SYLLABLES[1]:
        return ""
    canonical = unicodedata.normalize("NFD", chr)
    if canonical != chr:
        return " ".join("%04X" % ord(c) for c in canonical)
    compatible = unicodedata.normalize("NFKD", chr)
    if compatible != chr:
        return "<compat> " + " ".join("%04X" % ord(c) for c in compatible)
    return ""


def _or_default(default, message):
    if default is _MISSING:
        raise ValueError(message)
    return default


def decimal(chr, default=_MISSING):
    _char("decimal", chr)
    if chr.isdecimal():
        return int(chr)
    return _or_default(default, "not a decimal")


def digit(chr, default=_MISSING):
    _char("digit", chr)
    if chr.isdecimal():
        return int(chr)
    if chr.isdigit():
        folded = unicodedata.normalize("NFKC", chr)
        if len(folded) == 1 and folded.isdecimal():
            return int(folded)
    return _or_default(default, "not a digit")


def numeric(chr, default=_MISSING):
    _char("numeric", chr)
    if chr.isnumeric():
        value = digit(chr, None)
        if value is not None:
            return float(value)
        folded = unicodedata.normalize("NFKC", chr)
        numerator, slash, denominator = folded.partition("\u2044")
        if slash and numerator.isdecimal() and denominator.isdecimal():
            return int(numerator) / int(denominator)
        if folded != chr and folded.isdecimal():
            return float(int(folded))
    return _or_default(default, "not a numeric character")


def lookup(name):
    if not isinstance(name, str):
        raise TypeError("lookup() argument must be str, not %s" % type(name).__name__)
    if _NAME.match(name):
        try:
            literal = compile('"\\N{%s}"' % name, "<unicodedata.lookup>", "eval", dont_inherit=True)
            return eval(literal, {"__builtins__": {}})
        except SyntaxError:
            pass
    raise KeyError("undefined character name '%s'" % name)


class _UnicodeDatabase:
    """``unicodedata.ucd_3_2_0`` as far as this module can serve it: the current database (see the module doc)."""

    unidata_version = "3.2.0"

    category = staticmethod(unicodedata.category)
    bidirectional = staticmethod(unicodedata.bidirectional)
    name = staticmethod(unicodedata.name)
    normalize = staticmethod(unicodedata.normalize)
    is_normalized = staticmethod(unicodedata.is_normalized)
    combining = staticmethod(combining)
    east_asian_width = staticmethod(east_asian_width)
    mirrored = staticmethod(mirrored)
    decomposition = staticmethod(decomposition)
    decimal = staticmethod(decimal)
    digit = staticmethod(digit)
    numeric = staticmethod(numeric)
    lookup = staticmethod(lookup)


_FALLBACKS = {
    "combining": combining,
    "east_asian_width": east_asian_width,
    "mirrored": mirrored,
    "decomposition": decomposition,
    "decimal": decimal,
    "digit": digit,
    "numeric": numeric,
    "lookup": lookup,
    "ucd_3_2_0": _UnicodeDatabase(),
}


def install():
    """Sets each missing attribute on ``unicodedata``. Looks in the module's dict only: asking the module itself
    would make GraalPy try to load the native module."""
    present = vars(unicodedata)
    for attribute, fallback in _FALLBACKS.items():
        if attribute not in present:
            setattr(unicodedata, attribute, fallback)
