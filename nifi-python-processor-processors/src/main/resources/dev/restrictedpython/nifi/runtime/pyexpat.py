"""Python wrapper for Expat parser -- the ExecuteRestrictedPython sandbox's version.

GraalPy's own ``pyexpat`` is a native extension, which a sandbox without native access cannot load. This module
offers the same API over the JDK's XML parser (``XmlParserBridge.java``), so that ``xml.etree.ElementTree``,
``xml.dom.minidom`` and ``xml.sax`` work unchanged.

How it differs from expat:
- The document is buffered until ``Parse(data, True)``; then the JDK parses it whole and the events are replayed to
  the handlers in document order. A non-final ``Parse`` replays the events early only when the data so far ends
  with the root element's end tag and parses as a complete document (so ``XMLPullParser.feed(whole_document)``
  followed by ``read_events()`` works, and ``iterparse`` reports its events at the end).
- Security: nothing outside the document is ever read. External DTDs and external parameter entities are not
  loaded; a reference to an external general entity is never expanded and ``ExternalEntityRefHandler`` is never
  called (the reference goes to ``SkippedEntityHandler``, else to the default handler, so ElementTree raises
  "undefined entity" as it does with expat, and minidom and xml.sax leave it out); ``ExternalEntityParserCreate``
  is refused. Entities declared in the document's own DTD are expanded within fixed bounds, so a "billion
  laughs" document fails with an ``ExpatError`` (code ``XML_ERROR_AMPLIFICATION_LIMIT_BREACH``).
- Character data is always delivered in whole runs (as with ``buffer_text``); ``DefaultHandler`` receives only
  what cannot go elsewhere (character data, comments, processing instructions, references to entities that were
  not expanded, the DOCTYPE declaration and its internal subset), never the markup of elements.
- Positions: ``CurrentLineNumber``/``CurrentColumnNumber`` are those of the last start tag (where the JDK parser
  reports it: at its end), error positions are the JDK parser's; byte indexes are -1; ``GetInputContext()`` is
  None; ``intern`` is kept but names are not interned; error messages add the JDK parser's explanation in
  parentheses after expat's.
"""

import sys as _sys
import types as _types

# _bridge is put in this module's namespace by restricted_xml before this source runs.

EXPAT_VERSION = "expat_2.6.3"
version_info = (2, 6, 3)
native_encoding = "UTF-8"
features = [("sizeof(XML_Char)", 1), ("sizeof(XML_LChar)", 1), ("XML_DTD", 0), ("XML_CONTEXT_BYTES", 1024),
            ("XML_NS", 0)]

XML_PARAM_ENTITY_PARSING_NEVER = 0
XML_PARAM_ENTITY_PARSING_UNLESS_STANDALONE = 1
XML_PARAM_ENTITY_PARSING_ALWAYS = 2


class ExpatError(Exception):
    pass


ExpatError.__module__ = "xml.parsers.expat"
error = ExpatError

_MESSAGES = (
    (1, "XML_ERROR_NO_MEMORY", "out of memory"),
    (2, "XML_ERROR_SYNTAX", "syntax error"),
    (3, "XML_ERROR_NO_ELEMENTS", "no element found"),
    (4, "XML_ERROR_INVALID_TOKEN", "not well-formed (invalid token)"),
    (5, "XML_ERROR_UNCLOSED_TOKEN", "unclosed token"),
    (6, "XML_ERROR_PARTIAL_CHAR", "partial character"),
    (7, "XML_ERROR_TAG_MISMATCH", "mismatched tag"),
    (8, "XML_ERROR_DUPLICATE_ATTRIBUTE", "duplicate attribute"),
    (9, "XML_ERROR_JUNK_AFTER_DOC_ELEMENT", "junk after document element"),
    (10, "XML_ERROR_PARAM_ENTITY_REF", "illegal parameter entity reference"),
    (11, "XML_ERROR_UNDEFINED_ENTITY", "undefined entity"),
    (12, "XML_ERROR_RECURSIVE_ENTITY_REF", "recursive entity reference"),
    (13, "XML_ERROR_ASYNC_ENTITY", "asynchronous entity"),
    (14, "XML_ERROR_BAD_CHAR_REF", "reference to invalid character number"),
    (15, "XML_ERROR_BINARY_ENTITY_REF", "reference to binary entity"),
    (16, "XML_ERROR_ATTRIBUTE_EXTERNAL_ENTITY_REF", "reference to external entity in attribute"),
    (17, "XML_ERROR_MISPLACED_XML_PI", "XML or text declaration not at start of entity"),
    (18, "XML_ERROR_UNKNOWN_ENCODING", "unknown encoding"),
    (19, "XML_ERROR_INCORRECT_ENCODING", "encoding specified in XML declaration is incorrect"),
    (20, "XML_ERROR_UNCLOSED_CDATA_SECTION", "unclosed CDATA section"),
    (21, "XML_ERROR_EXTERNAL_ENTITY_HANDLING", "error in processing external entity reference"),
    (22, "XML_ERROR_NOT_STANDALONE", "document is not standalone"),
    (23, "XML_ERROR_UNEXPECTED_STATE", "unexpected parser state - please send a bug report"),
    (24, "XML_ERROR_ENTITY_DECLARED_IN_PE", "entity declared in parameter entity"),
    (25, "XML_ERROR_FEATURE_REQUIRES_XML_DTD", "requested feature requires XML_DTD support in Expat"),
    (26, "XML_ERROR_CANT_CHANGE_FEATURE_ONCE_PARSING", "cannot change setting once parsing has begun"),
    (27, "XML_ERROR_UNBOUND_PREFIX", "unbound prefix"),
    (28, "XML_ERROR_UNDECLARING_PREFIX", "must not undeclare prefix"),
    (29, "XML_ERROR_INCOMPLETE_PE", "incomplete markup in parameter entity"),
    (30, "XML_ERROR_XML_DECL", "XML declaration not well-formed"),
    (31, "XML_ERROR_TEXT_DECL", "text declaration not well-formed"),
    (32, "XML_ERROR_PUBLICID", "illegal character(s) in public id"),
    (33, "XML_ERROR_SUSPENDED", "parser suspended"),
    (34, "XML_ERROR_NOT_SUSPENDED", "parser not suspended"),
    (35, "XML_ERROR_ABORTED", "parsing aborted"),
    (36, "XML_ERROR_FINISHED", "parsing finished"),
    (37, "XML_ERROR_SUSPEND_PE", "cannot suspend in external parameter entity"),
    (38, "XML_ERROR_RESERVED_PREFIX_XML",
     "reserved prefix (xml) must not be undeclared or bound to another namespace name"),
    (39, "XML_ERROR_RESERVED_PREFIX_XMLNS", "reserved prefix (xmlns) must not be declared or undeclared"),
    (40, "XML_ERROR_RESERVED_NAMESPACE_URI", "prefix must not be bound to one of the reserved namespace names"),
    (41, "XML_ERROR_INVALID_ARGUMENT", "invalid argument"),
    (42, "XML_ERROR_NO_BUFFER", "a successful prior call to function XML_GetBuffer is required"),
    (43, "XML_ERROR_AMPLIFICATION_LIMIT_BREACH",
     "limit on input amplification factor (from DTD and entities) breached"),
)


def _submodule(name, doc):
    module = _types.ModuleType("pyexpat." + name, doc)
    _sys.modules["pyexpat." + name] = module
    return module


errors = _submodule("errors", "Constants used to describe error conditions.")
errors.codes = {}
errors.messages = {}
for _code, _name, _message in _MESSAGES:
    setattr(errors, _name, _message)
    errors.codes[_message] = _code
    errors.messages[_code] = _message
del _code, _name, _message

model = _submodule("model", "Constants used to interpret content model information.")
model.XML_CTYPE_EMPTY = 1
model.XML_CTYPE_ANY = 2
model.XML_CTYPE_MIXED = 3
model.XML_CTYPE_NAME = 4
model.XML_CTYPE_CHOICE = 5
model.XML_CTYPE_SEQ = 6
model.XML_CQUANT_NONE = 0
model.XML_CQUANT_OPT = 1
model.XML_CQUANT_REP = 2
model.XML_CQUANT_PLUS = 3


def ErrorString(code):
    """Returns string error for given number."""
    return errors.messages.get(code)


_HANDLERS = (
    "StartElementHandler", "EndElementHandler", "ProcessingInstructionHandler", "CharacterDataHandler",
    "UnparsedEntityDeclHandler", "NotationDeclHandler", "StartNamespaceDeclHandler", "EndNamespaceDeclHandler",
    "CommentHandler", "StartCdataSectionHandler", "EndCdataSectionHandler", "DefaultHandler",
    "DefaultHandlerExpand", "NotStandaloneHandler", "ExternalEntityRefHandler", "StartDoctypeDeclHandler",
    "EndDoctypeDeclHandler", "EntityDeclHandler", "XmlDeclHandler", "ElementDeclHandler", "AttlistDeclHandler",
    "SkippedEntityHandler",
)

_NONE = "\x02"
_UNSET = object()
_SPECULATION_ATTEMPTS = 16


def _opt(field):
    return None if field == _NONE else field


def _unescape(field):
    if "\x03" not in field:
        return field
    return field.replace("\x03a", "\x01").replace("\x03b", "\x02").replace("\x03c", "\x03")


class xmlparser:
    """XML parser"""

    __slots__ = _HANDLERS + (
        "buffer_text", "buffer_size", "ordered_attributes", "specified_attributes", "namespace_prefixes",
        "intern", "_encoding", "_separator", "_chunks", "_has_str", "_has_bytes", "_finished", "_delivered",
        "_delivered_chunks", "_error", "_fields", "_at", "_base", "_reparse_deferral", "_foreign_dtd",
        "_root", "_tail", "_speculations", "__weakref__",
    )

    def __init__(self, encoding, namespace_separator, intern):
        for handler in _HANDLERS:
            setattr(self, handler, None)
        self.buffer_text = False
        self.buffer_size = 8192
        self.ordered_attributes = False
        self.specified_attributes = False
        self.namespace_prefixes = False
        self.intern = intern
        self._encoding = encoding
        self._separator = namespace_separator
        self._chunks = []
        self._has_str = False
        self._has_bytes = False
        self._finished = False
        self._delivered = 0
        self._delivered_chunks = -1
        self._error = None
        self._fields = None
        self._at = -1
        self._base = None
        self._reparse_deferral = True
        self._foreign_dtd = False
        self._root = None
        self._tail = ""
        self._speculations = 0

    # ------------------------------------------------------------------------------------------- parsing

    def Parse(self, data, isfinal=False):
        """Parse XML data. `isfinal' should be true at end of input."""
        if self._finished:
            self._raise(36, None)
        if isinstance(data, str):
            if data:
                self._chunks.append(data)
                self._has_str = True
                self._track_tail(data)
        else:
            try:
                if isinstance(data, int):
                    raise TypeError
                data = bytes(data)
            except TypeError:
                raise TypeError("a bytes-like object is required, not '%s'" % type(data).__name__) from None
            if data:
                self._chunks.append(data)
                self._has_bytes = True
                self._track_tail(data)
        if isfinal:
            self._finished = True
            if self._delivered_chunks != len(self._chunks):
                self._parse_buffered(True)
        elif data and self._looks_complete():
            self._parse_buffered(False)
        return 1

    def ParseFile(self, file):
        """Parse XML data from file-like object."""
        try:
            read = file.read
        except AttributeError:
            raise TypeError("argument must have 'read' attribute") from None
        while True:
            data = read(65536)
            if not data:
                break
            if not isinstance(data, (str, bytes, bytearray)):
                raise TypeError("read() did not return a bytes object (type=%s)" % type(data).__name__)
            self.Parse(data, False)
        return self.Parse(b"", True)

    def _parse_buffered(self, final):
        chunks = self._chunks
        encoding = self._encoding
        if self._has_str and self._has_bytes:
            data = b"".join(chunk.encode("utf-8") if isinstance(chunk, str) else chunk for chunk in chunks)
            encoding = "utf-8"
        elif self._has_str:
            data = "".join(chunks)
        else:
            data = b"".join(chunks)
        fields = _bridge(data, encoding, self._separator, bool(self.namespace_prefixes),
                         bool(self.specified_attributes)).split("\x01")
        flags = fields.pop()
        if flags[0] == "1":
            fields = [_unescape(field) for field in fields]
        if not final:
            self._speculations += 1
            if flags[1] == "!":
                return  # not a whole document yet: wait for more data
        self._fields = fields
        start = self._skip(fields, self._delivered) if self._delivered else 0
        self._delivered_chunks = len(chunks)
        self._delivered = int(flags[2:])
        self._replay(fields, start)

    def _track_tail(self, data):
        if self._speculations >= _SPECULATION_ATTEMPTS or self._root is False:
            return
        if isinstance(data, bytes):
            data = data[-256:].decode("latin-1")
        self._tail = (self._tail + data[-256:])[-256:]

    def _looks_complete(self):
        """True when the data so far may be a whole document: it ends with the end tag of its root element.
        Only then does a non-final Parse try the parser, so that feeding in pieces does not parse again and
        again."""
        if self._speculations >= _SPECULATION_ATTEMPTS or self._root is False:
            return False
        if self._root is None:
            self._root = self._find_root()
            if not self._root:
                return False
        name, empty = self._root
        tail = self._tail.rstrip()
        if empty:
            return tail.endswith(">")
        return tail.endswith(">") and tail[:-1].rstrip().endswith("</" + name)

    def _find_root(self):
        import re
        first = self._chunks[0]
        if isinstance(first, bytes) and (b"\x00" in first[:4] or first[:2] in (b"\xfe\xff", b"\xff\xfe")):
            return False  # UTF-16: no speculation
        head = "".join(chunk if isinstance(chunk, str) else chunk[:4096].decode("latin-1")
                       for chunk in self._chunks[:64])[:4096]
        match = re.search(r"<([^\s/>?!][^\s/>]*)(?:\s[^<>]*?)?(/?)>", head)
        if match is None:
            return None if len(head) < 4096 else False
        return match.group(1), match.group(2) == "/"

    @staticmethod
    def _skip(fields, count):
        """The index of the first event after the first ``count`` events (already delivered)."""
        sizes = _EVENT_SIZES
        index = 0
        for _ in range(count):
            if index >= len(fields):
                break
            code = fields[index]
            if code == "S":
                index += 5 + 2 * int(fields[index + 4])
            else:
                index += sizes[code]
        return index

    def _replay(self, f, i):
        """Hands the events to the handlers in document order. Handlers are looked up at each event, since a
        handler may install others (minidom and the SAX driver do)."""
        n = len(f)
        while i < n:
            code = f[i]
            if code == "T":
                handler = self.CharacterDataHandler
                if handler is not None:
                    handler(f[i + 1])
                else:
                    self._default(f[i + 1])
                i += 2
            elif code == "S":
                self._at = i
                count = int(f[i + 4])
                start = i + 5
                i = start + 2 * count
                handler = self.StartElementHandler
                if handler is not None:
                    if self.ordered_attributes:
                        attributes = f[start:i]
                    else:
                        attributes = {}
                        for j in range(start, i, 2):
                            attributes[f[j]] = f[j + 1]
                    handler(f[start - 4], attributes)
            elif code == "E":
                handler = self.EndElementHandler
                if handler is not None:
                    handler(f[i + 1])
                i += 2
            elif code == "N":
                handler = self.StartNamespaceDeclHandler
                if handler is not None:
                    handler(_opt(f[i + 1]), _opt(f[i + 2]))
                i += 3
            elif code == "n":
                handler = self.EndNamespaceDeclHandler
                if handler is not None:
                    handler(_opt(f[i + 1]))
                i += 2
            elif code == "C":
                handler = self.CommentHandler
                if handler is not None:
                    handler(f[i + 1])
                else:
                    self._default("<!--" + f[i + 1] + "-->")
                i += 2
            elif code == "P":
                handler = self.ProcessingInstructionHandler
                if handler is not None:
                    handler(f[i + 1], f[i + 2])
                else:
                    self._default("<?" + f[i + 1] + (" " + f[i + 2] if f[i + 2] else "") + "?>")
                i += 3
            elif code == "[":
                handler = self.StartCdataSectionHandler
                if handler is not None:
                    handler()
                i += 1
            elif code == "]":
                handler = self.EndCdataSectionHandler
                if handler is not None:
                    handler()
                i += 1
            elif code == "!":
                self._raise(int(f[i + 1]), (int(f[i + 2]), int(f[i + 3])), f[i + 4])
            else:
                i = self._rare_event(code, f, i)

    def _rare_event(self, code, f, i):
        """The events of the prolog and the DTD, and entity references the parser did not expand."""
        if code == "x":
            handler = self.XmlDeclHandler
            version, encoding, standalone = f[i + 1], _opt(f[i + 2]), int(f[i + 3])
            if handler is not None:
                handler(version, encoding, standalone)
            else:
                self._default('<?xml version="%s"%s%s?>' % (
                    version, ' encoding="%s"' % encoding if encoding else "",
                    "" if standalone < 0 else ' standalone="%s"' % ("yes" if standalone else "no")))
            return i + 4
        if code == "D":
            self._doctype(f[i + 1], _opt(f[i + 2]), _opt(f[i + 3]), _opt(f[i + 4]))
            return i + 5
        if code == "d":
            handler = self.EndDoctypeDeclHandler
            if handler is not None:
                handler()
            elif self.StartDoctypeDeclHandler is None:
                self._default(">")
            return i + 1
        if code == "X":
            # An external entity is never read, whatever the handlers ask (xml.sax would fetch it with urllib when
            # feature_external_ges is on), so ExternalEntityRefHandler is not called: the reference is reported as
            # skipped, or to the default handler (ElementTree then raises "undefined entity", as with expat).
            handler = self.SkippedEntityHandler
            if handler is not None:
                handler(f[i + 1], 0)
            else:
                self._default("&" + f[i + 1] + ";")
            return i + 4
        if code == "K":
            name, parameter = f[i + 1], int(f[i + 2])
            handler = self.SkippedEntityHandler
            if handler is not None:
                handler(name, parameter)
            elif not parameter:
                self._default("&" + name + ";")
            return i + 3
        if code == "e":
            handler = self.EntityDeclHandler
            if handler is not None:
                base = self._base if f[i + 5] != _NONE else None
                handler(f[i + 1], int(f[i + 2]), _opt(f[i + 3]), base, _opt(f[i + 5]), _opt(f[i + 6]),
                        _opt(f[i + 7]))
            return i + 8
        if code == "u":
            name, system_id, public_id, notation = f[i + 1], _opt(f[i + 2]), _opt(f[i + 3]), f[i + 4]
            if self.UnparsedEntityDeclHandler is not None:
                self.UnparsedEntityDeclHandler(name, self._base, system_id, public_id, notation)
            elif self.EntityDeclHandler is not None:
                self.EntityDeclHandler(name, 0, None, self._base, system_id, public_id, notation)
            return i + 5
        if code == "o":
            handler = self.NotationDeclHandler
            if handler is not None:
                handler(f[i + 1], self._base, _opt(f[i + 2]), _opt(f[i + 3]))
            return i + 4
        if code == "M":
            handler = self.ElementDeclHandler
            if handler is not None:
                handler(f[i + 1], _content_model(f[i + 2]))
            return i + 3
        if code == "A":
            handler = self.AttlistDeclHandler
            if handler is not None:
                mode, value = _opt(f[i + 4]), _opt(f[i + 5])
                required = 1 if mode in ("#REQUIRED", "#FIXED") else 0
                handler(f[i + 1], f[i + 2], f[i + 3], value, required)
            return i + 6
        raise ExpatError("unexpected parser event %r" % (code,))

    def _doctype(self, name, system_id, public_id, subset):
        handler = self.StartDoctypeDeclHandler
        if handler is not None:
            handler(name, system_id, public_id, 0 if subset is None else 1)
            if subset is not None:
                self._default(subset)
            return
        if self.DefaultHandler is None and self.DefaultHandlerExpand is None:
            return
        # expat hands the unhandled declaration to the default handler token by token (ElementTree reads them)
        self._default("<!DOCTYPE")
        self._default(" ")
        self._default(name)
        if public_id is not None:
            for token in (" ", "PUBLIC", " ", '"%s"' % public_id, " ", '"%s"' % (system_id or "")):
                self._default(token)
        elif system_id is not None:
            for token in (" ", "SYSTEM", " ", '"%s"' % system_id):
                self._default(token)
        if subset is not None:
            self._default(" ")
            self._default("[")
            self._default(subset)
            self._default("]")

    def _default(self, text):
        handler = self.DefaultHandlerExpand
        if handler is None:
            handler = self.DefaultHandler
        if handler is not None:
            handler(text)

    def _raise(self, code, position, detail=None):
        line, column = position if position is not None else (self.CurrentLineNumber, self.CurrentColumnNumber)
        self._error = (code, line, column)
        message = "%s: line %d, column %d" % (ErrorString(code) or "error", line, column)
        if detail:
            message += " (%s)" % detail
        err = ExpatError(message)
        err.code = code
        err.lineno = line
        err.offset = column
        raise err

    # ------------------------------------------------------------------------------------------- positions

    @property
    def ErrorCode(self):
        return self._error[0] if self._error is not None else 0

    @property
    def ErrorLineNumber(self):
        return self.CurrentLineNumber

    @property
    def ErrorColumnNumber(self):
        return self.CurrentColumnNumber

    @property
    def ErrorByteIndex(self):
        return -1

    @property
    def CurrentLineNumber(self):
        if self._error is not None:
            return self._error[1]
        return int(self._fields[self._at + 2]) if self._at >= 0 else 1

    @property
    def CurrentColumnNumber(self):
        if self._error is not None:
            return self._error[2]
        return int(self._fields[self._at + 3]) if self._at >= 0 else 0

    @property
    def CurrentByteIndex(self):
        return -1

    @property
    def buffer_used(self):
        return 0

    # ------------------------------------------------------------------------------------------- settings

    def SetBase(self, base):
        """Set the base URL for the parser."""
        self._base = base

    def GetBase(self):
        """Return base URL string for the parser."""
        return self._base

    def GetInputContext(self):
        """Return the untranslated text of the input that caused the current event (not available here)."""
        return None

    def ExternalEntityParserCreate(self, context, encoding=None):
        """Refused: the sandbox never reads external entities."""
        raise ExpatError("external entities are not loaded in this sandbox")

    def SetParamEntityParsing(self, flag):
        """Accepted for compatibility: external parameter entities are never read."""
        return 1

    def UseForeignDTD(self, flag=True):
        """Accepted for compatibility: no external DTD is ever read."""
        self._foreign_dtd = bool(flag)

    def GetReparseDeferralEnabled(self):
        return self._reparse_deferral

    def SetReparseDeferralEnabled(self, enabled):
        self._reparse_deferral = bool(enabled)

    def __repr__(self):
        return "<pyexpat.xmlparser object at %#x>" % id(self)


XMLParserType = xmlparser

_EVENT_SIZES = {"T": 2, "E": 2, "N": 3, "n": 2, "C": 2, "P": 3, "[": 1, "]": 1, "x": 4, "D": 5, "d": 1,
                "X": 4, "K": 3, "e": 8, "u": 5, "o": 4, "M": 3, "A": 6}


def ParserCreate(encoding=None, namespace_separator=None, intern=_UNSET):
    """Return a new XML parser object."""
    if encoding is not None and not isinstance(encoding, str):
        raise TypeError("ParserCreate() argument 'encoding' must be str or None, not %s" % type(encoding).__name__)
    if namespace_separator is not None:
        if not isinstance(namespace_separator, str):
            raise TypeError("ParserCreate() argument 'namespace_separator' must be str or None, not %s"
                            % type(namespace_separator).__name__)
        if len(namespace_separator) > 1:
            raise ValueError("namespace_separator must be at most one character, omitted, or None")
    if intern is _UNSET:
        intern = {}
    elif intern is not None and not isinstance(intern, dict):
        raise TypeError("intern must be a dictionary")
    return xmlparser(encoding, namespace_separator, intern)


def _content_model(text):
    """A DTD content model as the JDK reports it ("(a,(b|c)*)?") in expat's tuple form."""
    import re
    tokens = re.findall(r"#PCDATA|[()|,?*+]|[^\s()|,?*+]+", text)
    if tokens == ["EMPTY"]:
        return (model.XML_CTYPE_EMPTY, model.XML_CQUANT_NONE, None, ())
    if tokens == ["ANY"]:
        return (model.XML_CTYPE_ANY, model.XML_CQUANT_NONE, None, ())
    position = [0]

    def quantifier():
        if position[0] < len(tokens) and tokens[position[0]] in ("?", "*", "+"):
            position[0] += 1
            return {"?": model.XML_CQUANT_OPT, "*": model.XML_CQUANT_REP,
                    "+": model.XML_CQUANT_PLUS}[tokens[position[0] - 1]]
        return model.XML_CQUANT_NONE

    def particle():
        token = tokens[position[0]]
        position[0] += 1
        if token != "(":
            return (model.XML_CTYPE_NAME, quantifier(), token, ())
        children, kind, mixed = [], model.XML_CTYPE_SEQ, False
        while position[0] < len(tokens) and tokens[position[0]] != ")":
            token = tokens[position[0]]
            if token == "|":
                kind = model.XML_CTYPE_CHOICE
                position[0] += 1
            elif token == ",":
                position[0] += 1
            elif token == "#PCDATA":
                mixed = True
                position[0] += 1
            else:
                children.append(particle())
        position[0] += 1
        if mixed:
            return (model.XML_CTYPE_MIXED, quantifier(), None, tuple(children))
        return (kind, quantifier(), None, tuple(children))

    try:
        return particle()
    except IndexError:
        return (model.XML_CTYPE_ANY, model.XML_CQUANT_NONE, None, ())
