"""The few helpers of the standard ``ast`` module that the dialect and the statement host use, over ``_ast`` (the
parser's node classes) alone.

``import ast`` loads enum, contextlib, functools and collections: measured on GraalPy 25.0.3, about half a second
of the first context's start and a quarter of a second of every later one, for a parser that ``compile`` already
is and five small functions. Behaviour follows the ``ast`` documentation: same traversal order, same locations.
"""

from _ast import *  # noqa: F401,F403 - the node classes (Name, Call, ...) and PyCF_ONLY_AST
from _ast import AST, PyCF_ONLY_AST

_LOCATION = ("lineno", "col_offset", "end_lineno", "end_col_offset")


def parse(source, filename="<unknown>", mode="exec"):
    return compile(source, filename, mode, PyCF_ONLY_AST, dont_inherit=True)


def iter_fields(node):
    """(name, value) for each field the node has."""
    for name in node._fields:
        try:
            yield name, getattr(node, name)
        except AttributeError:
            pass


def iter_child_nodes(node):
    """The direct children: fields that are nodes, and the nodes in fields that are lists."""
    for _, value in iter_fields(node):
        if isinstance(value, AST):
            yield value
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, AST):
                    yield item


def walk(node):
    """Every node under ``node`` (itself included), breadth first, as ``ast.walk``."""
    pending = [node]
    index = 0
    while index < len(pending):
        current = pending[index]
        index += 1
        pending.extend(iter_child_nodes(current))
        yield current


def copy_location(new_node, old_node):
    """Gives ``new_node`` the source position of ``old_node``; returns ``new_node``."""
    for name in _LOCATION:
        if name in old_node._attributes and name in new_node._attributes:
            value = getattr(old_node, name, None)
            # the end position is optional: copied even when None, as long as the old node has it
            if value is not None or (name.startswith("end_") and hasattr(old_node, name)):
                setattr(new_node, name, value)
    return new_node


def fix_missing_locations(node):
    """Fills the position of every node that has none with its parent's, starting from line 1, column 0."""
    pending = [(node, (1, 0, 1, 0))]
    while pending:
        current, inherited = pending.pop()
        position = inherited
        if "lineno" in current._attributes:
            position = tuple(_location_or(current, name, default)
                             for name, default in zip(_LOCATION, inherited))
        for child in iter_child_nodes(current):
            pending.append((child, position))
    return node


def _location_or(node, name, default):
    value = getattr(node, name, None)
    if value is None:
        setattr(node, name, default)
        return default
    return value


class NodeTransformer:
    """Visits a tree and replaces each node with what its ``visit_<Class>`` method returns: a node, None to remove
    it, or a list of nodes in a list field. Without such a method, the node's children are visited."""

    def visit(self, node):
        return getattr(self, "visit_" + node.__class__.__name__, self.generic_visit)(node)

    def generic_visit(self, node):
        for name, value in iter_fields(node):
            if isinstance(value, list):
                replaced = []
                for item in value:
                    if isinstance(item, AST):
                        item = self.visit(item)
                        if item is None:
                            continue
                        if not isinstance(item, AST):
                            replaced.extend(item)
                            continue
                    replaced.append(item)
                value[:] = replaced
            elif isinstance(value, AST):
                new_value = self.visit(value)
                if new_value is None:
                    delattr(node, name)
                else:
                    setattr(node, name, new_value)
        return node
