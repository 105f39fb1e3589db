"""Every action written to the ärende's audit log (CaseEvent.action) has a label.

Each app declares its action types (a TextChoices) and registers them with cases.audit;
the history shows the label, so an action written without one shows up there as its bare
stored string. This reads the production source (ast, migrations and tests left out) for:

- every call that writes an action: ``CaseEvent.objects.create(action=...)`` and
  ``CaseEvent(action=...)``, and every function that passes its own parameter on to one
  of those (``Case.log``, plans' ``_log``, ...), found by following the parameters, so a
  new wrapper is followed too;
- every string literal of the form "<prefix>.<word>" with a prefix the registered actions
  use ("plan.distributed"), wherever it stands;

and checks that each value is registered. An action that is neither a literal, a member of
a registered type, a module constant, nor the parameter of a wrapper fails the test: the
rule is "write a member of your app's action type".
"""

import ast
import re
from pathlib import Path

import pytest

from cases import audit
from cases.enums import CaseAction
from consent.enums import ConsentAction
from meetings.enums import MeetingAction
from plans.enums import PlanAction

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["common", "outbox", "parties", "cases", "consent", "meetings", "plans", "samverk"]
PACKAGES += ["bench"] if (ROOT / "bench" / "__init__.py").is_file() else []
LEFT_OUT = {"migrations", "tests", "__pycache__"}
WRITERS = {"CaseEvent"}  # calls of CaseEvent(...) and CaseEvent.objects.<method>(...)
ACTION = "action"


def production_modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if not LEFT_OUT & set(path.relative_to(ROOT).parts):
                yield path.relative_to(ROOT).as_posix(), ast.parse(path.read_text("utf-8"))


def _with_parents(tree):
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            child.parent = node
    return tree


def _enclosing_function(node):
    node = getattr(node, "parent", None)
    while node is not None and not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        node = getattr(node, "parent", None)
    return node


def _positional_params(function):
    """Parameter names as a caller passes them by position (self/cls of a method left out)."""
    names = [a.arg for a in function.args.posonlyargs + function.args.args]
    if isinstance(getattr(function, "parent", None), ast.ClassDef) and names[:1] in (
        ["self"],
        ["cls"],
    ):
        names = names[1:]
    return names


def _module_constants(tree):
    constants = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            for target in node.targets:
                if isinstance(target, ast.Name) and isinstance(node.value.value, str):
                    constants[target.id] = node.value.value
    return constants


def _called_name(call):
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)


def _is_writer(call):
    """CaseEvent(...) or CaseEvent.objects.<anything>(...)."""
    func = call.func
    if isinstance(func, ast.Name):
        return func.id in WRITERS
    return (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Attribute)
        and func.value.attr == "objects"
        and isinstance(func.value.value, ast.Name)
        and func.value.value.id in WRITERS
    )


def _action_argument(call, position):
    for keyword in call.keywords:
        if keyword.arg == ACTION:
            return keyword.value
    if position is None or any(isinstance(a, ast.Starred) for a in call.args[: position + 1]):
        return None
    return call.args[position] if len(call.args) > position else None


def scan():
    """([(where, action value)], [(where, source of an action that could not be read)])."""
    types = {cls.__name__: cls for cls in audit.registered_types()}
    modules = [(name, _with_parents(tree)) for name, tree in production_modules()]
    wrappers = {}  # function name -> position of its action parameter at a call site
    while True:
        written, unreadable, found_wrappers = [], [], {}
        for module, tree in modules:
            constants = _module_constants(tree)
            for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
                if _is_writer(call):
                    expression = _action_argument(call, None)
                elif _called_name(call) in wrappers:
                    expression = _action_argument(call, wrappers[_called_name(call)])
                else:
                    continue
                if expression is None:
                    continue
                where = f"{module}:{call.lineno}"
                function = _enclosing_function(call)
                params = _positional_params(function) if function else []
                if isinstance(expression, ast.Constant) and isinstance(expression.value, str):
                    written.append((where, expression.value))
                elif (
                    isinstance(expression, ast.Attribute)
                    and isinstance(expression.value, ast.Name)
                    and expression.value.id in types
                    and hasattr(types[expression.value.id], expression.attr)
                ):
                    written.append((where, getattr(types[expression.value.id], expression.attr)))
                elif isinstance(expression, ast.Name) and expression.id in params:
                    # A wrapper: whoever calls it chooses the action.
                    found_wrappers[function.name] = params.index(expression.id)
                elif isinstance(expression, ast.Name) and expression.id in constants:
                    written.append((where, constants[expression.id]))
                else:
                    unreadable.append((where, ast.unparse(expression)))
        if found_wrappers.items() <= wrappers.items():
            return written, unreadable
        wrappers |= found_wrappers


@pytest.fixture(scope="module")
def scanned():
    return scan()


def test_every_app_registers_its_action_types():
    registered = audit.registered_actions()
    for choices in (CaseAction, ConsentAction, MeetingAction, PlanAction):
        assert choices in audit.registered_types()
        for member in choices:
            assert registered[member.value] == str(member.label) != ""


def test_the_scan_finds_the_log_calls_of_every_app(scanned):
    written, _unreadable = scanned
    apps = {where.split("/")[0] for where, _value in written}
    assert {"cases", "consent", "meetings", "plans"} <= apps
    values = {value for _where, value in written}
    # One of each app's, and the one that was once written without a label.
    assert {
        CaseAction.CREATED,
        ConsentAction.REVOKED,
        MeetingAction.BOOKED,
        PlanAction.FROZEN,
        "plan.distributed",
    } <= values


def test_every_action_written_has_a_label(scanned):
    written, unreadable = scanned
    assert not unreadable, (
        "Write the action as a member of the app's action type (registered with "
        f"cases.audit): {unreadable}"
    )
    registered = audit.registered_actions()
    missing = sorted({(value, where) for where, value in written if value not in registered})
    assert not missing, f"Actions written without a registered label: {missing}"


def _is_module_path(value):
    """include("consent.urls") names a module, not an action."""
    path = ROOT.joinpath(*value.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def test_every_action_like_literal_is_registered():
    registered = audit.registered_actions()
    prefixes = sorted({value.split(".")[0] for value in registered})
    action_like = re.compile(rf"(?:{'|'.join(prefixes)})\.[a-z_]+")
    missing = []
    for module, tree in production_modules():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and action_like.fullmatch(node.value)
                and node.value not in registered
                and not _is_module_path(node.value)
            ):
                missing.append((module, node.lineno, node.value))
    assert not missing, f"Action-like strings without a registered label: {missing}"


# --- the registry --------------------------------------------------------------------------


@pytest.fixture
def empty_registry(monkeypatch):
    for name in ("_labels", "_declared_by", "_types"):
        monkeypatch.setattr(audit, name, {})
    monkeypatch.setattr(audit, "_reads", set())


def test_each_app_names_its_reads():
    """ "Vem har läst ärendet" and the registerutdrag list these (cases.reads)."""
    assert set(audit.read_actions()) == {
        CaseAction.VIEWED,
        CaseAction.LISTED,
        CaseAction.PERSONNUMMER_SHOWN,
        CaseAction.ACCESS_LIST_VIEWED,
        CaseAction.EXTRACT_PRODUCED,
        ConsentAction.VIEWED,
        ConsentAction.DOCUMENT_VIEWED,
        MeetingAction.VIEWED,
        # The grid of a "Föreslå tider" poll, which names the ärende (issue 16).
        MeetingAction.POLL_VIEWED,
        PlanAction.VIEWED,
    }


def test_a_read_must_be_one_of_the_apps_own_actions(empty_registry):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="case.viewed"):
        audit.register_actions(PlanAction, reads=[CaseAction.VIEWED])
    assert audit.read_actions() == []
    audit.register_actions(PlanAction, reads=[PlanAction.VIEWED])
    assert audit.read_actions() == ["plan.viewed"]


def test_an_unknown_action_shows_its_stored_string(empty_registry):
    assert audit.action_label("survey.answered") == "survey.answered"
    assert audit.action_label("") == "–"


def test_registering_twice_changes_nothing(empty_registry):
    audit.register_actions(PlanAction)
    audit.register_actions(PlanAction)
    assert audit.registered_types() == [PlanAction]
    assert audit.action_label("plan.frozen") == "Handlingsplanen fastställdes"


def test_one_stored_string_declared_twice_is_refused(empty_registry):
    from django.core.exceptions import ImproperlyConfigured
    from django.db.models import TextChoices

    class Copy(TextChoices):
        OTHER = "plan.other", "Annat"
        FROZEN = "plan.frozen", "Fastställd"

    audit.register_actions(PlanAction)
    with pytest.raises(ImproperlyConfigured, match="plan.frozen"):
        audit.register_actions(Copy)
    # Nothing of the refused type was taken.
    assert audit.action_label("plan.other") == "plan.other"
    assert audit.action_label("plan.frozen") == "Handlingsplanen fastställdes"
