"""Compares restricted_syntax with the standard library's ast on the same trees. Evaluated by
RestrictedSyntaxTest in a context where both are loaded; evaluates to the function that runs one comparison and
returns a list of differences (empty when they agree)."""

import ast
import restricted_syntax


def _dump(tree):
    return ast.dump(tree, include_attributes=True)


def _unlocated(module):
    """A tree built by hand, with positions only on some nodes, as the dialect's rewriting makes them."""
    tree = module.parse("x = 1\nif x:\n    y = f(x, k=2)\n")
    call = tree.body[1].body[0].value
    replacement = module.Call(func=module.Name("g", module.Load()), args=[module.Constant(3)], keywords=[])
    module.copy_location(replacement, call)
    tree.body[1].body[0].value = replacement
    tree.body.append(module.Expr(module.Name("z", module.Load())))
    return tree


class _Probe:
    """The same transformer over either module: drops pass statements, renames names, expands expressions."""

    @staticmethod
    def make(module):
        class Transformer(module.NodeTransformer):
            def visit_Pass(self, node):
                return None

            def visit_Name(self, node):
                return module.copy_location(module.Name(node.id.upper(), node.ctx), node)

            def visit_Expr(self, node):
                self.generic_visit(node)
                return [node, module.copy_location(module.Expr(module.Constant(0)), node)]
        return Transformer()


def compare(source):
    differences = []
    ours, theirs = restricted_syntax.parse(source, "<s>"), ast.parse(source, "<s>")
    if _dump(ours) != _dump(theirs):
        differences.append("parse")
    if [type(n).__name__ for n in restricted_syntax.walk(ours)] != [type(n).__name__ for n in ast.walk(theirs)]:
        differences.append("walk order")
    for mine, standard in zip(restricted_syntax.walk(ours), ast.walk(theirs)):
        if [name for name, _ in restricted_syntax.iter_fields(mine)] != [name for name, _ in ast.iter_fields(standard)]:
            differences.append("iter_fields of " + type(mine).__name__)
        if len(list(restricted_syntax.iter_child_nodes(mine))) != len(list(ast.iter_child_nodes(standard))):
            differences.append("iter_child_nodes of " + type(mine).__name__)
    fixed_ours = restricted_syntax.fix_missing_locations(_unlocated(restricted_syntax))
    fixed_theirs = ast.fix_missing_locations(_unlocated(ast))
    if _dump(fixed_ours) != _dump(fixed_theirs):
        differences.append("fix_missing_locations")
    transformed_ours = _Probe.make(restricted_syntax).visit(restricted_syntax.parse(source))
    transformed_theirs = _Probe.make(ast).visit(ast.parse(source))
    if _dump(transformed_ours) != _dump(transformed_theirs):
        differences.append("NodeTransformer")
    return differences


compare
