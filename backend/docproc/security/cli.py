"""`docproc keys add|revoke|list`: manage API keys in Redis while the service runs."""

from __future__ import annotations

from typing import Annotated

import typer
from redis import Redis

from docproc.config import settings_or_exit
from docproc.security.keys import KeyRing, parse_keys

keys_app = typer.Typer(help="API keys: add, revoke, list (no restart needed).",
                       no_args_is_help=True)


def _keyring() -> KeyRing:
    settings = settings_or_exit()
    spec = settings.api_keys.get_secret_value() if settings.api_keys else ""
    return KeyRing(Redis.from_url(settings.redis_url), parse_keys(spec),
                   required=settings.require_api_key)


@keys_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="who the key is for")],
    key: Annotated[str | None, typer.Option(help="use this key instead of a generated one")] = None,
) -> None:
    """Create a key; it is printed once and only its hash is stored."""
    typer.echo(_keyring().add(name, key))


@keys_app.command("revoke")
def revoke(name_or_id: Annotated[str, typer.Argument(help="the key's name or id")]) -> None:
    """Revoke every key with this name or id, at once, for the API and all workers."""
    ids = _keyring().revoke(name_or_id)
    if not ids:
        raise SystemExit(f"docproc: no key named {name_or_id!r}")
    typer.echo(f"revoked: {', '.join(ids)}")


@keys_app.command("list")
def list_keys() -> None:
    """Every key: id, name, where it comes from, revoked or not (never the key itself)."""
    for entry in _keyring().list():
        state = "revoked" if entry["revoked"] else "active"
        typer.echo(f"{entry['id']}  {entry['name']:<20} {entry['source']:<17} {state}")
