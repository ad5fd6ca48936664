"""Host side of ExecuteRestrictedPython inside one GraalPy context.

Java evaluates this file once per context, installs the dialect module, then calls ``prepare`` with the
user's statement and ``run_rows`` / ``run_bulk`` per batch of records. Values cross the boundary in a small
wire format (see ``WireFormat.java``): str, int, float, bool and None as themselves, everything else as a
tagged array ``[tag, payload]``.
"""

import builtins as _builtins
import math as _math
import sys
import time as _time
import types

STATEMENT_FILE = "<statement>"
_PLAIN = (str, int, float, bool, type(None))
_HOST_NULL = []  # the type GraalPy gives a Java null, learnt in prepare()


def install_module(name, source):
    """Makes a module of ours importable by the host glue (the context has no file system to load it from)."""
    module = types.ModuleType(name)
    exec(compile(source, name + ".py", "exec"), module.__dict__)
    sys.modules[name] = module
    return module


class StatementError(Exception):
    """An error to report to the user: exception type, plain message, line in the Statement property."""

    def __init__(self, error_type, message, line):
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.line = line


# ---------------------------------------------------------------------------------------------- statement


class _Statement:
    """The compiled statement and how to run it: a plain function when it never awaits (the common case, and
    the fastest), a coroutine driven here when it awaits only ``sleep``, an asyncio loop for anything else."""
    function = None
    driver = None
    loop = None


_statement = _Statement()
_log_sink = None
_failed = []


def prepare(source, log_sink, host_null, network_allowed):
    """Checks and compiles the statement once for this context. Returns None or an error triple.
    ``host_null`` is a Java null, so that nulls inside host arrays can be told from tagged values."""
    global _log_sink
    _log_sink = log_sink
    if type(host_null) not in _PLAIN:
        _HOST_NULL.append(type(host_null))
    if not network_allowed:
        _refuse_network()
    try:
        _statement.function, _statement.driver = _compile(source)
    except StatementError as error:
        return _error_triple(error)
    return None


def _refuse_network():
    """The context has no socket access anyway; this turns the runtime's low-level refusal into a sentence. The
    socket module is patched when something first imports it: importing it here cost a second of the first
    context's start (it loads os, selectors and enum), for statements that mostly never touch the network."""
    import restricted_sandbox
    restricted_sandbox.after_import("socket", _refuse_sockets)


def _refuse_sockets(socket):
    def refuse(*args, **kwargs):
        raise PermissionError("network access is denied: the processor's Network Access property is Denied")

    socket.socket.__init__ = refuse
    socket.getaddrinfo = refuse
    socket.create_connection = refuse
    socket.create_server = refuse
    for method in ("connect", "connect_ex", "bind", "sendto"):
        setattr(socket.socket, method, refuse)


def _compile(source):
    """Checks the statement against the dialect, rewrites it so the dialect's run-time guards see its imports,
    attribute reads, format calls and integer powers (restricted_dialect.transform), and compiles it as the
    body of ``__statement__``."""
    import restricted_syntax as ast  # installed before the dialect, see PythonStatement
    import restricted_dialect
    restricted_dialect.lock_down_interpreter()
    try:
        tree = ast.parse(source, STATEMENT_FILE)
    except SyntaxError as error:
        raise StatementError("SyntaxError", error.msg, error.lineno)
    except (ValueError, RecursionError, MemoryError) as error:
        raise StatementError(type(error).__name__, "the statement cannot be parsed: %s" % error, None)
    try:
        restricted_dialect.check(tree)
    except restricted_dialect.RestrictedDialectError as error:
        raise StatementError(error.error_type, error.message, error.line)
    awaited = _awaited(tree)
    _preload_imports(tree)
    try:
        tree = restricted_dialect.transform(tree)
    except restricted_dialect.RestrictedDialectError as error:
        raise StatementError(error.error_type, error.message, error.line)
    except RecursionError:
        raise StatementError("SyntaxError", "the statement is nested too deeply to compile", None)
    _fast_paths_in_place(tree)
    if awaited == {"sleep"} and _sleep_in_place(tree):
        awaited = None
    if awaited is None:
        kind, driver = ast.FunctionDef, _call
    elif awaited == {"sleep"}:
        kind, driver = ast.AsyncFunctionDef, _drive_sleeps
    else:
        kind, driver = ast.AsyncFunctionDef, _drive_on_loop
    function = kind(
        name="__statement__",
        args=ast.arguments(posonlyargs=[], args=[ast.arg("INPUT_DATA"), ast.arg("DATA_CHECKPOINT"),
                                                 ast.arg("ATTRIBUTES"), ast.arg("PROPERTIES")],
                           vararg=None, kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[]),
        body=tree.body or [ast.Pass()], decorator_list=[], returns=None, type_params=[])
    module = ast.Module(body=[function], type_ignores=[])
    ast.copy_location(function, tree.body[0] if tree.body else function)
    ast.fix_missing_locations(module)
    try:
        code = compile(module, STATEMENT_FILE, "exec")
    except SyntaxError as error:
        raise StatementError("SyntaxError", error.msg, error.lineno)
    namespace = restricted_dialect.statement_globals()
    namespace.update({"__name__": "statement", "log": Log(), "sleep": sleep, SLEEP_IN_PLACE: _time.sleep,
                      TITLE_IN_PLACE: _title, ROUND_IN_PLACE: _round})
    exec(code, namespace)
    return namespace["__statement__"], driver


def _preload_imports(tree):
    """Imports, once per context and outside any run, the modules the statement imports by name. GraalPy compiles
    a module's sources in every context, so a first import is slow and allocates a lot (measured: httpx about
    0.5 GB and 6-10 s, openai about 1.3 GB): done here, the first FlowFile neither waits for it nor has it counted
    against the Memory Limit and Statement Timeout. A module that fails to import is left to fail in the run,
    where the user sees the error at the statement's line."""
    import restricted_syntax as ast  # installed before the dialect, see PythonStatement
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            requests = [(alias.name, ()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            requests = [(node.module, tuple(alias.name for alias in node.names if alias.name != "*"))]
        else:
            continue
        for name, fromlist in requests:
            try:
                __import__(name, None, None, fromlist, 0)
            except BaseException:
                pass


SLEEP_IN_PLACE = "sleep\N{ZERO WIDTH SPACE}"  # no statement can spell this name


def _sleep_in_place(tree):
    """Turns every ``await sleep(...)`` of the statement itself into a plain call of ``time.sleep``, so that a
    statement whose only awaits are sleeps compiles as a plain function, which runs without creating and
    driving a coroutine per call. False, and the tree untouched, when an await is not in that form after the
    dialect's rewriting. The statement calls ``time.sleep`` itself: measured on GraalPy 25.0.3, the Statement
    Timeout interrupts it there, but not when a function of this module calls it for the statement."""
    import restricted_syntax as ast  # installed before the dialect, see PythonStatement
    awaits = []
    stack = list(ast.iter_child_nodes(tree))
    parents = {}
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        for child in ast.iter_child_nodes(node):
            parents[child] = node
            stack.append(child)
        if isinstance(node, ast.Await):
            call = node.value
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "sleep"):
                return False
            awaits.append(node)
    for node in awaits:
        call = node.value
        call.func = ast.copy_location(ast.Name(SLEEP_IN_PLACE, ast.Load()), call.func)
        _replace_child(parents.get(node, tree), node, call)
    return True


TITLE_IN_PLACE = "title\N{ZERO WIDTH SPACE}"  # no statement can spell these names
ROUND_IN_PLACE = "round\N{ZERO WIDTH SPACE}"


def _fast_paths_in_place(tree):
    """Turns every ``x.title()`` of the statement into ``_title(x)`` and every ``round(x, n)`` into
    ``_round(round, x, n)``, for two calls that GraalPy 25.0 makes slow and statements make often: ``str.title``
    creates an ICU word break iterator per word (measured: 1.6-2.0 us for a two-word name, 12x CPython's), float
    ``round`` with digits goes through BigDecimal (0.44-0.71 us, 2-3x CPython's). The helpers give the same results
    as the calls they replace (see each); ``round`` is passed as the statement sees it, so a statement that binds
    the name to something else still calls that."""
    import restricted_syntax as ast  # installed before the dialect, see PythonStatement
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or node.keywords:
            continue
        function = node.func
        if isinstance(function, ast.Attribute) and function.attr == "title" and not node.args:
            node.args = [function.value]
            node.func = ast.copy_location(ast.Name(TITLE_IN_PLACE, ast.Load()), function)
        elif (isinstance(function, ast.Name) and function.id == "round" and len(node.args) == 2
              and not any(isinstance(argument, ast.Starred) for argument in node.args)):
            node.args = [ast.copy_location(ast.Name("round", ast.Load()), function)] + node.args
            node.func = ast.copy_location(ast.Name(ROUND_IN_PLACE, ast.Load()), function)


def _title(value):
    """``value.title()``, the same result: for ASCII text (whose only cased characters are its letters) a letter
    is upper case after anything but a letter and lower case after one, which this loop does in ~0.3 us for a
    two-word name; anything else is left to ``title`` itself."""
    if type(value) is not str or not value.isascii():
        return value.title()
    pieces = []
    after_letter = False
    for character in value:
        if "a" <= character <= "z":
            pieces.append(character if after_letter else chr(ord(character) - 32))
            after_letter = True
        elif "A" <= character <= "Z":
            pieces.append(chr(ord(character) + 32) if after_letter else character)
            after_letter = True
        else:
            pieces.append(character)
            after_letter = False
    return "".join(pieces)


_BUILTIN_ROUND = _builtins.round
_POWERS_OF_TEN = tuple(10.0 ** digits for digits in range(16))  # each exactly a double
_TWO_TO_52 = 4503599627370496.0


def _round(function, number, ndigits):
    """``function(number, ndigits)``, where the statement wrote ``round(number, ndigits)`` and the name ``round``
    held ``function``. For the builtin with a float and 0-15 digits, CPython's result: the double nearest the
    decimal of ``ndigits`` digits nearest ``number``. Rounding to a double never crosses a double, and below 2**52
    every half-way point ``k + 0.5`` is one: so ``number * 10**ndigits`` as computed is on the same side of each
    as the exact product, unless it is one itself (left to ``function``); the whole number nearest it is the one
    nearest the exact product, and dividing it by the power of ten rounds once, as reading the decimal would.
    (A zero result keeps the sign of ``number``, as CPython's does; GraalPy's own gives 0.0 for -0.3 to 0 digits.)"""
    if function is _BUILTIN_ROUND and type(number) is float and type(ndigits) is int and 0 <= ndigits <= 15:
        scaled = number * _POWERS_OF_TEN[ndigits]
        if -_TWO_TO_52 < scaled < _TWO_TO_52:
            floor = _math.floor(scaled)
            fraction = scaled - floor
            if fraction != 0.5:
                whole = floor if fraction < 0.5 else floor + 1
                return whole / _POWERS_OF_TEN[ndigits] if whole else _math.copysign(0.0, number)
    return function(number, ndigits)


def _replace_child(parent, old, new):
    import restricted_syntax as ast  # installed before the dialect, see PythonStatement
    for name, value in ast.iter_fields(parent):
        if value is old:
            setattr(parent, name, new)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if item is old:
                    value[index] = new


def _awaited(tree):
    """What the statement itself awaits: None when nothing, {"sleep"} when only ``sleep(...)`` calls, else a set
    naming something else. Nested functions are their own business."""
    import restricted_syntax as ast  # installed before the dialect, see PythonStatement
    awaited = set()
    stack = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            raise StatementError("SyntaxError", "a statement cannot yield; return a list instead", node.lineno)
        if isinstance(node, ast.Await):
            call = node.value
            is_sleep = (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "sleep")
            awaited.add("sleep" if is_sleep else "other")
        elif isinstance(node, (ast.AsyncFor, ast.AsyncWith)) or (isinstance(node, ast.comprehension) and node.is_async):
            awaited.add("other")
        stack.extend(ast.iter_child_nodes(node))
    return awaited or None


def _call(result):
    return result


def _drive_sleeps(coroutine):
    """Runs a coroutine whose only awaits are ``sleep``: each yields a _Sleep, served with a plain sleep."""
    try:
        request = coroutine.send(None)
        while True:
            _time.sleep(request.seconds)
            request = coroutine.send(None)
    except StopIteration as stop:
        return stop.value


def _drive_on_loop(coroutine):
    loop = _statement.loop
    if loop is None or loop.is_closed() or loop.is_running():
        import asyncio
        loop = _statement.loop = asyncio.new_event_loop()
    return loop.run_until_complete(coroutine)


def reset_after_interrupt():
    """A run was stopped from outside: its event loop may be left mid-iteration, so start the next with a new one."""
    _statement.loop = None


class _Sleep:
    __slots__ = ("seconds",)

    def __init__(self, seconds):
        self.seconds = float(seconds)

    def __await__(self):
        loop = _statement.loop
        if loop is not None and loop.is_running():
            import asyncio
            return (yield from asyncio.sleep(self.seconds).__await__())
        yield self


def sleep(seconds):
    """``await sleep(s)``: an asyncio sleep inside an event loop, a plain interruptible sleep otherwise."""
    return _Sleep(seconds)


class Log:
    """``log`` as the statement sees it. ``error`` also marks the run failed."""

    __slots__ = ()

    def trace(self, message):
        _log_sink("trace", str(message), _caller_line())

    def debug(self, message):
        _log_sink("debug", str(message), _caller_line())

    def info(self, message):
        _log_sink("info", str(message), _caller_line())

    def warn(self, message):
        _log_sink("warn", str(message), _caller_line())

    warning = warn

    def error(self, message):
        line = _caller_line()
        _failed.append((str(message), line))
        _log_sink("error", str(message), line)


def _caller_line():
    frame = sys._getframe(2)
    while frame is not None and frame.f_code.co_filename != STATEMENT_FILE:
        frame = frame.f_back
    return frame.f_lineno if frame is not None else None


# ---------------------------------------------------------------------------------------------- runs


def _gil_switch():
    """GraalPy releases the GIL around every access to a host object by default; reading a host array element by
    element, or bumping the heartbeat once per record, would pay a lock round trip (measured: tens of microseconds
    per record) each time. A context never has a second Python thread (thread creation is denied) and the host
    objects a run touches (the batch arrays, the output list, the heartbeat, the log sink) answer at once, so a run
    keeps the GIL from start to end. Blocking calls of the statement itself (sleep, sockets) are not host objects:
    they release the GIL as usual and stay interruptible by the timeout."""
    try:
        import polyglot
        return polyglot.__set_gil_locked_during_foreign_calls__
    except (ImportError, AttributeError):
        return lambda locked: locked


_set_gil_locked = _gil_switch()


def run_rows(chunks, ends, new_shapes, reset_shapes, checkpoint, attributes, properties, include_input, heartbeat, sink,
             first_index):
    """Row by row: the statement once per record of the batch (see decode_batch). The returned items are appended
    to the host list ``sink`` (see emit); ``first_index`` is the output position of the first of them, for messages.
    Returns ["ok", count] or ["error", type, message, line]."""
    previous = _set_gil_locked(True)
    try:
        inputs = decode_batch(chunks, ends, new_shapes, reset_shapes)
        outcome = _guarded(_run_rows, inputs, decode(checkpoint), decode(attributes), decode(properties),
                           include_input, heartbeat)
        return _emitted(outcome, sink, first_index)
    finally:
        _set_gil_locked(previous)


def run_bulk(chunks, ends, new_shapes, reset_shapes, checkpoint, attributes, properties, heartbeat, sink):
    """Bulk (and source mode): the statement once with every record."""
    previous = _set_gil_locked(True)
    try:
        # no local name for the records: once the statement returned, they are garbage (unless it returned
        # them), not live through the emitting of a whole FlowFile of output
        outcome = _guarded(_run_bulk, decode_batch(chunks, ends, new_shapes, reset_shapes), decode(checkpoint),
                           decode(attributes), decode(properties), heartbeat)
        return _emitted(outcome, sink, 0)
    finally:
        _set_gil_locked(previous)


def dry_run(input_json, checkpoint, attributes, properties, row_by_row, include_input, heartbeat):
    """Verification: the statement over records given as a JSON array. Returns ["ok", count, preview] or an
    error; the preview is the returned records as JSON, for a person to read."""
    import json
    try:
        inputs = json.loads(input_json) if input_json else []
    except ValueError as error:
        return ["error", "ValueError", "Debug Input is not valid JSON: %s" % error, None]
    if not isinstance(inputs, list) or not all(isinstance(row, dict) for row in inputs):
        return ["error", "TypeError", "Debug Input must be a JSON array of objects", None]
    checkpoint, attributes, properties = decode(checkpoint), decode(attributes), decode(properties)
    if row_by_row:
        outcome = _guarded(_run_rows, inputs, checkpoint, attributes, properties, include_input, heartbeat)
    else:
        outcome = _guarded(_run_bulk, inputs, checkpoint, attributes, properties, heartbeat)
    if outcome[0] != "ok":
        return outcome
    items = outcome[1]
    return ["ok", len(items), json.dumps(items, default=str, ensure_ascii=False)]


def _run_rows(inputs, checkpoint, attributes, properties, include_input, heartbeat):
    statement = _statement.function
    output = []
    for row in inputs:
        heartbeat[0] = heartbeat[0] + 1
        items = _validated(_statement.driver(statement([row], checkpoint, attributes, properties)))
        if _failed:
            return None
        if include_input:
            for item in items:
                merged = dict(row)
                merged.update(item)
                output.append(merged)
        else:
            output.extend(items)
    return output


def _run_bulk(inputs, checkpoint, attributes, properties, heartbeat):
    heartbeat[0] = heartbeat[0] + 1
    items = _validated(_statement.driver(_statement.function(inputs, checkpoint, attributes, properties)))
    return None if _failed else items


def _guarded(run, *arguments):
    """Runs the statement; every way it can fail becomes an error list the host reads."""
    try:
        items = run(*arguments)
        return _failure() if items is None else ["ok", items]
    except BaseException as error:
        return _error_triple(_statement_error(error))
    finally:
        _failed.clear()


def _emitted(outcome, sink, first_index):
    if outcome[0] != "ok":
        return outcome
    items = outcome[1]
    try:
        emit(items, sink, first_index)
    except BaseException as error:
        return _error_triple(_statement_error(error))
    return ["ok", len(items)]


def _failure():
    message, line = _failed[0]
    return ["error", "log.error", message, line]


def _validated(result):
    kind = type(result)
    if kind is not list and kind is not tuple and not isinstance(result, (list, tuple)):
        raise StatementError("TypeError", "the statement returned %s; it must return a list of objects"
                             % _type_name(result), None)
    index = 0
    for item in result:
        if type(item) is not dict and not isinstance(item, dict):
            raise StatementError("TypeError", "item %d is %s; each item must be an object (dict)"
                                 % (index, _type_name(item)), None)
        for key in item:
            if type(key) is not str and not isinstance(key, str):
                raise StatementError("TypeError", "item %d has key %r of type %s; keys must be str"
                                     % (index, key, _type_name(key)), None)
        index += 1
    return result


def _type_name(value):
    return "None" if value is None else type(value).__name__


def _statement_error(error):
    if isinstance(error, StatementError):
        return error
    if isinstance(error, RecursionError):
        return StatementError("RecursionError", "maximum recursion depth exceeded", _error_line(error))
    message = str(error)
    if isinstance(error, SystemExit):
        message = "the statement tried to exit the interpreter (code %r)" % (error.code,)
    return StatementError(type(error).__name__, message, _error_line(error))


def _error_line(error):
    """The deepest frame of the traceback that is in the statement: the user's line."""
    line = None
    traceback = error.__traceback__
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename == STATEMENT_FILE:
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return line


def _error_triple(error):
    return ["error", error.error_type, error.message, error.line]


# ---------------------------------------------------------------------------------------------- wire format


_shapes = {}  # shape id -> (function building the dict of a record, slots the record takes in the stream)
_shape_specs = {}  # shape id -> (field names, kinds, shape ids of its inline records)


def decode_batch(chunks, ends, new_shapes, reset_shapes):
    """Records arrive as flat host arrays (chunk ``i`` holds ``ends[i]`` slots, no record spans two): slot 0 the
    chunk's text (its records' strings, one after another), then per record a shape id and its values (none for
    null fields, an inline record's id and values for an inline record, where in the text for a string).
    ``new_shapes`` declares the shapes this context has not stored yet: [id, field names, kinds, inline ids]."""
    if reset_shapes:
        _shapes.clear()
        _shape_specs.clear()
    for spec in new_shapes:
        _declare_shape(spec[0], spec[1], spec[2], spec[3])
    rows = []
    for index in range(len(chunks)):
        stream = chunks[index]
        chunks[index] = None  # the host keeps no other reference: decoded, the chunk is garbage
        end = ends[index]
        text = stream[0]
        position = 1
        while position < end:
            position = _decode_some(stream, position, end, rows, text)
    return rows


_CHUNK = 256  # loops run in chunks: a function called often compiles (and inlines) sooner than one long loop


def _decode_some(stream, position, end, rows, text):
    shapes = _shapes
    append = rows.append
    count = 0
    while position < end and count < _CHUNK:
        build, width = shapes[stream[position]]
        append(build(stream, position + 1, text))
        position += width
        count += 1
    return position


def _declare_shape(shape_id, names, kinds, inline):
    """Compiles the function that builds one dict of this shape in one expression. Kinds, per field: P a plain
    value, N null (not in the stream), T a tagged value, G anything (decoded by type), S a record inline (its
    shape id's slot, then its values: built by its own dict display inside this one), X a string in the chunk's
    text ``t`` (its slot holds its first code point << 32 | its end)."""
    _shape_specs[shape_id] = ([str(name) for name in names], str(kinds), [int(inner) for inner in inline])
    expression, width = _shape_expression(shape_id, 0)
    namespace = {"_decode_tagged": _decode_tagged, "decode": decode}
    exec(compile("def build(s, i, t):\n    return %s\n" % expression, "<record shape>", "exec"), namespace)
    _shapes[shape_id] = (namespace["build"], width + 1)


def _shape_expression(shape_id, offset):
    """The dict display building a record of this shape from slot ``i + offset`` on, and the slots it reads."""
    names, kinds, inline = _shape_specs[shape_id]
    inline = iter(inline)
    parts = []
    width = 0
    for name, kind in zip(names, kinds):
        if kind == "N":
            expression = "None"
        elif kind == "S":
            expression, used = _shape_expression(next(inline), offset + width + 1)
            width += used + 1
        else:
            expression = "s[i + %d]" % (offset + width)
            width += 1
            if kind == "X":
                expression = "t[(v := %s) >> 32:v & 0xFFFFFFFF]" % expression
            elif kind == "T":
                expression = "_decode_tagged(%s)" % expression
            elif kind == "G":
                expression = "decode(%s)" % expression
        parts.append("%r: %s" % (name, expression))
    return "{%s}" % ", ".join(parts), width


def decode_record(flat):
    """A nested record arrives as [name, value, name, value, ...]."""
    result = {}
    for index in range(0, len(flat), 2):
        result[flat[index]] = decode(flat[index + 1])
    return result


def decode(value):
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind in _HOST_NULL:
        return None
    return _decode_tagged(value)


def _decode_tagged(tagged):
    tag = tagged[0]
    if tag == "S":  # a nested record of a batch: ["S", shape id, values...], built as top-level ones are
        return _shapes[tagged[1]][0](tagged, 2, None)
    payload = tagged[1]
    if tag == "R":
        return decode_record(payload)
    if tag == "L":
        return [decode(element) for element in payload]
    if tag == "D":
        import decimal  # on first use: it costs about 0.4 s of a context's start, and most data has no decimals
        return decimal.Decimal(payload)
    if tag == "d":
        dates = _dates()
        return dates.module.date.fromordinal(dates.epoch_ordinal + payload)
    if tag == "T":
        dates = _dates()
        return dates.epoch + dates.module.timedelta(microseconds=payload)
    if tag == "t":
        seconds, micros = divmod(payload, 1000000)
        minutes, second = divmod(seconds, 60)
        return _dates().module.time(minutes // 60, minutes % 60, second, micros)
    if tag == "B":
        return bytes(b & 0xFF for b in payload)
    if tag == "I":
        return int(payload)
    raise ValueError("unknown wire tag %r" % (tag,))


class _Dates:
    """datetime and the wire format's constants, loaded on first use: importing datetime costs about 0.15 s of a
    context's start (twice that in the first), and most records hold no dates."""
    module = None
    utc = None
    epoch = None
    epoch_ordinal = None


def _dates():
    if _Dates.module is None:
        import datetime
        _Dates.utc = datetime.timezone.utc
        _Dates.epoch = datetime.datetime(1970, 1, 1, tzinfo=_Dates.utc)
        _Dates.epoch_ordinal = datetime.date(1970, 1, 1).toordinal()
        _Dates.module = datetime
    return _Dates


def _encode_temporal(value, dates):
    """A timestamp as microseconds since the epoch (UTC when naive), a date as days since it, a time of day as
    microseconds since midnight."""
    if isinstance(value, dates.module.datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=dates.utc)
        delta = aware - dates.epoch
        return ("T", (delta.days * 86400 + delta.seconds) * 1000000 + delta.microseconds)
    if isinstance(value, dates.module.date):
        return ("d", value.toordinal() - dates.epoch_ordinal)
    return ("t", ((value.hour * 60 + value.minute) * 60 + value.second) * 1000000 + value.microsecond)


def emit(items, sink, first_index=0):
    """Appends the items to the host list ``sink``: per item its number of keys, then key, value, key, value...
    str, float, bool, None and ints within a long cross as themselves, anything else as a (tag, payload) tuple."""
    total = len(items)
    for start in range(0, total, _CHUNK):
        _emit_some(items, start, min(start + _CHUNK, total), sink, first_index)


def _emit_some(items, start, stop, sink, first_index):
    append = sink.append
    for position in range(start, stop):
        item = items[position]
        index = first_index + position
        append(len(item))
        for key, value in item.items():
            append(key)
            kind = type(value)
            if kind is str or kind is float or kind is bool or value is None:
                append(value)
            elif kind is int and -9223372036854775808 <= value <= 9223372036854775807:
                append(value)
            else:
                append(_encode(value, index, key))


def _encode(value, index, key):
    kind = type(value)
    if kind is str or kind is float or kind is bool or value is None:
        return value
    if kind is int:
        return value if -9223372036854775808 <= value <= 9223372036854775807 else ("I", str(value))
    if isinstance(value, dict):
        flat = []
        for nested_key, nested_value in value.items():
            flat.append(str(nested_key))
            flat.append(_encode(nested_value, index, key))
        return ("R", flat)
    if isinstance(value, (list, tuple)):
        return ("L", [_encode(element, index, key) for element in value])
    decimal = sys.modules.get("decimal")  # never imported: no Decimal can exist
    if decimal is not None and isinstance(value, decimal.Decimal):
        if not value.is_finite():
            raise StatementError("ValueError", "item %d, field '%s': Decimal %s cannot be written"
                                 % (index, key, value), None)
        return ("D", str(value))
    datetime = sys.modules.get("datetime")  # never imported: no date or time can exist
    if datetime is not None and isinstance(value, (datetime.date, datetime.time)):
        return _encode_temporal(value, _dates())
    if isinstance(value, (bytes, bytearray)):
        return ("B", list(value))
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return _encode(int(value), index, key)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    raise StatementError("TypeError", "item %d, field '%s' is %s, which cannot be written to a record"
                         % (index, key, _type_name(value)), None)
