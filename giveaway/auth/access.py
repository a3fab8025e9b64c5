"""Deny by default: every blueprint declares who may enter its views.

Each ``views.py`` says, right under its ``bp = Blueprint(...)``::

    declare_access(bp, STAFF)                   # every view: admins and staff
    declare_access(bp, LOGIN, invite=PUBLIC)    # one view named as an exception

The guard (:func:`enforce`, run before every request) applies the declared
rule before the view runs; the view's own decorators and checks (a partner
sees only its contests) still apply after it. A blueprint without a
declaration cannot serve: :func:`check_declarations` stops the app at start-up,
and the guard answers 403 should one appear later.
"""
from __future__ import annotations

from flask import Blueprint, Flask, abort, request
from flask_login import current_user

from giveaway.extensions import login_manager

PUBLIC = "public"  # anyone, logged in or not
LOGIN = "login"  # any logged-in account (partners included)
STAFF = "staff"  # admins and staff
ADMIN = "admin"  # admins only

_ROLES = {STAFF: ("admin", "staff"), ADMIN: ("admin",)}
RULES = (PUBLIC, LOGIN, STAFF, ADMIN)

#: blueprint name -> (rule for its views, {view name: rule} exceptions)
_DECLARED: dict[str, tuple[str, dict[str, str]]] = {}
#: Endpoints outside our blueprints: Flask's and Bootstrap-Flask's static files.
OTHER_ENDPOINTS = {"static": PUBLIC, "bootstrap.static": PUBLIC}


def declare_access(bp: Blueprint, rule: str, **exceptions: str) -> None:
    """Declare that ``rule`` guards every view of ``bp``, except the views named in
    ``exceptions`` (view function name -> rule).

    :raise ValueError: for an unknown rule.
    """
    for value in (rule, *exceptions.values()):
        if value not in RULES:
            raise ValueError(f"unknown access rule {value!r} (use one of {RULES})")
    _DECLARED[bp.name] = (rule, dict(exceptions))


def rule_for(endpoint: str | None) -> str | None:
    """The declared rule of ``endpoint``, or None when nothing was declared for it."""
    if endpoint is None:
        return None
    if endpoint in OTHER_ENDPOINTS:
        return OTHER_ENDPOINTS[endpoint]
    blueprint, _, view = endpoint.rpartition(".")
    if blueprint not in _DECLARED:
        return None
    rule, exceptions = _DECLARED[blueprint]
    return exceptions.get(view, rule)


def check_declarations(app: Flask) -> None:
    """Refuse to build an app with a route whose access nobody declared.

    :raise RuntimeError: naming the endpoint (a blueprint without
        :func:`declare_access`, or an exception naming no view of it).
    """
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = sorted(e for e in endpoints if rule_for(e) is None)
    if missing:
        raise RuntimeError("no access rule declared for " + ", ".join(missing) +
                           ": call giveaway.auth.access.declare_access(bp, ...) under the "
                           "blueprint")
    for name, (_, exceptions) in _DECLARED.items():
        unknown = [view for view in exceptions if f"{name}.{view}" not in endpoints]
        if name in app.blueprints and unknown:
            raise RuntimeError(f"access exceptions name no view of {name}: {unknown}")


def enforce() -> object | None:
    """Before every request: apply the rule of the requested view.

    Anonymous visitors of a guarded view are sent to the login page; a
    logged-in account without the role gets 403; a view of a blueprint that
    declared nothing gets 403 too (deny by default). Routes added to the app
    itself, outside blueprints, are left to :func:`check_declarations`.
    """
    if request.endpoint is None:  # no route matched: 404/405 follow
        return None
    rule = rule_for(request.endpoint)
    if rule is None:
        if request.blueprint is None:
            return None
        abort(403)
    if rule == PUBLIC:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if rule in _ROLES and current_user.role not in _ROLES[rule]:
        abort(403)
    return None
