"""The command line: `fulfil` (or `python -m dashboard.cli`).

    fulfil migrate
    fulfil seed-demo [--if-empty] [--embedded-only] [--orders N] [--seed S]
    fulfil setup-link [--base-url URL]
    fulfil create-user EMAIL --role owner|staff|picker [--name NAME] [--password-stdin]
    fulfil create-api-key NAME [--scopes SCOPE ...]
    fulfil list-api-keys
    fulfil revoke-api-key ID_OR_PREFIX
    fulfil send-outbox [--once]
    fulfil webhooks replay --since TIME [--endpoint ID]
    fulfil export --from DATE --to DATE [--format csv|xlsx] [--out PATH]
    fulfil cancel-overdue [--dry-run]
    fulfil check-addresses

The database is DATABASE_URL (default: the SQLite file under data/), or --database-url.
Every setting (dashboard.config) is checked first: a malformed one is named, exit status 2.
There is no default account and no default key: the first owner comes from the one-time
link `setup-link` prints while no owner exists (make run does), or from `create-user`.
Refusals (bad input, a taken email) print the reason and exit with status 2.
"""

from __future__ import annotations

import argparse
import getpass
import sys
import time
from pathlib import Path

import sqlalchemy as sa

from dashboard import config
from dashboard.domain.accounts import Role
from dashboard.domain.errors import DomainError, ValidationFailed
from dashboard.services.accounts import users
from dashboard.services.db import read_session, write_session

EXIT_REFUSED = 2


def _say(*lines: str) -> None:
    print(*lines, sep="\n", flush=True)


def _shown_url(url: str | None) -> str:
    return sa.engine.make_url(url or config.database().url).render_as_string(hide_password=True)


def is_embedded_database(url: str | None) -> bool:
    """Whether `url` (None: DATABASE_URL or the default) is the SQLite file under data/."""
    parsed = sa.engine.make_url(url or config.database().url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return False
    embedded = sa.engine.make_url(config.DEFAULT_DATABASE_URL).database
    return Path(parsed.database).resolve() == Path(embedded).resolve()


def cmd_migrate(args: argparse.Namespace) -> int:
    from dashboard.services.migrations import migrate

    migrate(args.database_url)
    _say(f"Database is at the newest schema: {_shown_url(args.database_url)}")
    return 0


def cmd_seed_demo(args: argparse.Namespace) -> int:
    from dashboard.services.demo import seed_demo
    from dashboard.services.orders import order_count

    if args.orders < 0:
        raise ValidationFailed("--orders must be 0 or more.", fields={"orders": "negative"})
    if args.embedded_only and not is_embedded_database(args.database_url):
        _say(f"{_shown_url(args.database_url)} is not the embedded SQLite file under data/; "
             "no demo data added (`fulfil seed-demo` without --embedded-only loads it).")
        return 0
    if args.if_empty:
        with read_session(args.database_url) as session:
            existing = order_count(session)
        if existing:
            _say(f"The database already has {existing} orders; no demo data added.")
            return 0
    _say(f"Seeding the demo shop with {args.orders} orders (seed {args.seed})...")
    started = time.perf_counter()
    counts = seed_demo(args.database_url, orders=args.orders, seed=args.seed)
    elapsed = time.perf_counter() - started
    statuses = ", ".join(f"{name} {n}" for name, n in counts["by_status"].items())
    _say(
        f"Made {counts['products']} products, {counts['customers']} customers and "
        f"{counts['orders']} orders ({statuses or 'none'}),",
        f"{counts['payments']} payments, {counts['shipments']} shipments, {counts['notes']} notes, "
        f"{counts['stock_receipts']} supplier deliveries in {elapsed:.1f} s.",
    )
    return 0


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        line = sys.stdin.readline()
        return line[:-1] if line.endswith("\n") else line
    first = getpass.getpass("Password: ")
    if getpass.getpass("Password again: ") != first:
        raise ValidationFailed("The passwords do not match.", fields={"password": "mismatch"})
    return first


def cmd_create_user(args: argparse.Namespace) -> int:
    from dashboard.domain.accounts import Principal
    from dashboard.services import accounts

    password = _read_password(args)
    with write_session(args.database_url) as session:  # audited as system:cli
        user, _ = accounts.invite(session, email=args.email, password=password,
                                  role=Role(args.role), name=args.name or "",
                                  by=Principal.system("cli"))
    _say(f"Created {user.role.value} {user.email} ({user.name}).")
    return 0


def cmd_setup_link(args: argparse.Namespace) -> int:
    from dashboard.services import accounts

    with write_session(args.database_url) as session:
        token = accounts.issue_setup_link(session)
    if token is None:
        _say(f"Open {args.base_url.rstrip('/')} and sign in.")
        return 0
    link = f"{args.base_url.rstrip('/')}/setup/{token}"
    _say("", "No owner account yet. Open this link to create it (it works once):",
         f"    {link}", "")
    return 0


def cmd_create_api_key(args: argparse.Namespace) -> int:
    scopes = tuple(dict.fromkeys(args.scopes)) if args.scopes else users.ALL_SCOPES
    with write_session(args.database_url) as session:
        key, raw = users.create_api_key(session, name=args.name, scopes=scopes)
    # The key alone on stdout (KEY=$(fulfil create-api-key shop) works); the rest on stderr.
    print(f"API key {key.name!r} (scopes: {' '.join(scopes)}):", file=sys.stderr)
    print(raw, flush=True)
    print("Copy it now: it will not be shown again.", file=sys.stderr)
    return 0


def cmd_list_api_keys(args: argparse.Namespace) -> int:
    from dashboard.services.accounts import api_keys

    with read_session(args.database_url) as session:
        rows = [(k.id, k.prefix, k.name, k.scopes, k.last_used_at, k.revoked_at)
                for k in api_keys.list_api_keys(session)]
    for key_id, prefix, name, scopes, used, revoked in rows:
        state = f"revoked {revoked:%Y-%m-%d}" if revoked else \
            f"last used {used:%Y-%m-%d %H:%M} UTC" if used else "never used"
        _say(f"{key_id:>4}  {prefix}…  {name}  [{scopes}]  {state}")
    if not rows:
        _say("No API keys. Make one with: fulfil create-api-key NAME")
    return 0


def cmd_revoke_api_key(args: argparse.Namespace) -> int:
    from dashboard.domain.accounts import Principal
    from dashboard.services.accounts import api_keys

    with write_session(args.database_url) as session:
        key = api_keys.find_api_key(session, args.key)
        key = api_keys.revoke_api_key(session, key_id=key.id, by=Principal.system("cli"))
        name, prefix = key.name, key.prefix
    _say(f"Revoked API key {name!r} ({prefix}…): requests with it are refused from now on.")
    return 0


def cmd_cancel_overdue(args: argparse.Namespace) -> int:
    from dashboard.services.payments import cancel_overdue

    with write_session(args.database_url) as session:
        result = cancel_overdue(session, dry_run=args.dry_run)
    _say(result.summary)
    numbers = result.candidates if args.dry_run else result.cancelled
    if numbers:
        _say("Orders: " + " ".join(f"#{n}" for n in numbers))
    return 0


def cmd_low_stock_email(args: argparse.Namespace) -> int:
    from dashboard.services.stock import send_low_stock_email

    with write_session(args.database_url) as session:
        skus = send_low_stock_email(session)
    _say(f"Low-stock email queued for {len(skus)} products: {' '.join(skus)}" if skus
         else "No low-stock email: no product reached its reorder point since the last one "
              "(or today's is queued already).")
    return 0


def cmd_check_addresses(args: argparse.Namespace) -> int:
    """Check the shipping addresses of open orders still marked unverified (orders placed
    before address checks existed), in batches of 500, each batch one transaction."""
    from dashboard.domain.orders import Actor
    from dashboard.services.customers import verify_unchecked

    checked = 0
    while True:
        with write_session(args.database_url) as session:
            done = verify_unchecked(session, actor=Actor.system("system:cli"), limit=500)
        checked += done
        if done < 500:
            break
    _say(f"Checked {checked} shipping address{'es' if checked != 1 else ''}.")
    return 0


def cmd_send_outbox(args: argparse.Namespace) -> int:
    """Send due outbox emails: once until nothing is due, or as a worker until stopped."""
    import signal
    import threading

    from dashboard.services import messaging

    if not messaging.api_key():
        print("RESEND_API_KEY is not set: emails are rendered and held, readable on the "
              "Outbox page.", file=sys.stderr)
    if args.once:
        from dashboard.services import integrations

        result = messaging.drain(args.database_url)
        _say(f"Outbox: {result.summary()}.")
        hooks = integrations.drain(args.database_url)
        _say(f"Webhooks: {hooks.summary()}.")
        for reason in dict.fromkeys(result.errors + hooks.errors):
            print(f"  {reason}", file=sys.stderr)
        return 0
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    _say(f"Sending outbox emails every {messaging.poll_seconds():g} s; Ctrl-C stops.")
    messaging.run_forever(
        stop, url=args.database_url,
        on_pass=lambda r: _say(f"{time.strftime('%H:%M:%S')} {r.summary()}"),
        on_webhooks=lambda r: _say(f"{time.strftime('%H:%M:%S')} webhooks: {r.summary()}"))
    _say("Stopped.")
    return 0


def _since(text: str):
    """An ISO 8601 time (UTC unless it says otherwise) or a span back from now: 2h, 3d."""
    from datetime import UTC, datetime, timedelta

    text = (text or "").strip()
    units = {"m": "minutes", "h": "hours", "d": "days"}
    if text[:-1].isdigit() and text[-1:] in units:
        return datetime.now(UTC) - timedelta(**{units[text[-1]]: int(text[:-1])})
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise ValidationFailed("--since must be a time (2026-12-01T09:00) or a span (2h, 3d).",
                               fields={"since": text[:40]}) from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def cmd_webhooks_replay(args: argparse.Namespace) -> int:
    """Queue again every failed webhook delivery since a time (one endpoint or all)."""
    from dashboard.domain.accounts import Principal
    from dashboard.services import integrations

    since = _since(args.since)
    with write_session(args.database_url) as session:
        count = integrations.replay_failed(session, by=Principal.system(), since=since,
                                           endpoint_id=args.endpoint)
    _say(f"Queued {count} failed deliver{'ies' if count != 1 else 'y'} since "
         f"{since.isoformat(timespec='seconds')} again; `fulfil send-outbox --once` or the "
         "app's worker sends them.")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Orders, lines, payments and refunds placed in a date range, as CSV (zip) or Excel."""
    from dashboard.services import integrations

    with read_session(args.database_url) as session:
        name, data, _ = integrations.export_range(session, date_from=args.date_from,
                                                  date_to=args.date_to, fmt=args.format)
    out = Path(args.out) if args.out else Path.cwd() / name
    out.write_bytes(data)
    _say(f"Wrote {out} ({len(data):,} bytes).")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fulfil", description="Order-fulfilment dashboard: database and account tasks."
    )
    parser.add_argument(
        "--database-url", default=None,
        help="database to use (default: $DATABASE_URL, else the SQLite file under data/)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("migrate", help="bring the database to the newest schema")
    p.set_defaults(run=cmd_migrate)

    p = sub.add_parser("seed-demo", help="load the Harbour & Pine demo shop")
    p.add_argument("--if-empty", action="store_true", help="do nothing when any order exists")
    p.add_argument("--embedded-only", action="store_true",
                   help="do nothing unless the database is the SQLite file under data/ (make run)")
    p.add_argument("--orders", type=int, default=3000, metavar="N", help="orders to make (3000)")
    p.add_argument("--seed", type=int, default=7, metavar="S", help="random seed (7)")
    p.set_defaults(run=cmd_seed_demo)

    p = sub.add_parser("setup-link",
                       help="while no owner exists, print a one-time link that creates one")
    p.add_argument("--base-url", default="http://localhost:3000",
                   help="where the browser reaches the app (http://localhost:3000)")
    p.set_defaults(run=cmd_setup_link)

    p = sub.add_parser("create-user", help="add a person who can sign in")
    p.add_argument("email")
    p.add_argument("--role", required=True, choices=[r.value for r in Role])
    p.add_argument("--name", default="", help="display name (default: the email's local part)")
    p.add_argument("--password-stdin", action="store_true",
                   help="read the password from the first line of stdin instead of asking")
    p.set_defaults(run=cmd_create_user)

    p = sub.add_parser("create-api-key", help="make an API key; it is printed once")
    p.add_argument("name")
    p.add_argument("--scopes", nargs="+", choices=users.ALL_SCOPES, metavar="SCOPE",
                   help=f"what the key may do (default: all of {', '.join(users.ALL_SCOPES)})")
    p.set_defaults(run=cmd_create_api_key)

    p = sub.add_parser("list-api-keys", help="show the API keys (never the keys themselves)")
    p.set_defaults(run=cmd_list_api_keys)

    p = sub.add_parser("revoke-api-key", help="stop an API key working, at once")
    p.add_argument("key", metavar="ID_OR_PREFIX", help="the key's id or its fk_... prefix")
    p.set_defaults(run=cmd_revoke_api_key)

    p = sub.add_parser("send-outbox", help="send queued emails and webhooks (a worker; --once to drain)")
    p.add_argument("--once", action="store_true", help="send what is due, then exit")
    p.set_defaults(run=cmd_send_outbox)

    p = sub.add_parser("webhooks", help="outbound webhooks: replay failed deliveries")
    hooks = p.add_subparsers(dest="webhooks_command", required=True, metavar="ACTION")
    p = hooks.add_parser("replay", help="send failed deliveries again")
    p.add_argument("--since", required=True, metavar="TIME",
                   help="ISO time (UTC unless given) or a span back from now: 30m, 2h, 3d")
    p.add_argument("--endpoint", type=int, default=None, metavar="ID", help="only this endpoint")
    p.set_defaults(run=cmd_webhooks_replay)

    p = sub.add_parser("export", help="orders, lines, payments and refunds as CSV or Excel")
    p.add_argument("--from", dest="date_from", required=True, metavar="DATE",
                   help="first day (YYYY-MM-DD, the merchant's time zone)")
    p.add_argument("--to", dest="date_to", required=True, metavar="DATE", help="last day")
    p.add_argument("--format", choices=("csv", "xlsx"), default="xlsx",
                   help="xlsx: one workbook; csv: a zip of four files (default xlsx)")
    p.add_argument("--out", default=None, metavar="PATH", help="where to write it")
    p.set_defaults(run=cmd_export)

    p = sub.add_parser(
        "cancel-overdue",
        help="cancel unpaid orders past AUTO_CANCEL_DAYS_<METHOD> business days (for cron)",
    )
    p.add_argument("--dry-run", action="store_true", help="list them, change nothing")
    p.set_defaults(run=cmd_cancel_overdue)

    p = sub.add_parser("low-stock-email",
                       help="queue today's low-stock email to the merchant (once a day; for cron)")
    p.set_defaults(run=cmd_low_stock_email)

    p = sub.add_parser("check-addresses",
                       help="check open orders' unverified shipping addresses (after upgrading)")
    p.set_defaults(run=cmd_check_addresses)
    return parser


def _refused(error: DomainError) -> str:
    fields = getattr(error, "fields", None) or {}
    detail = "; ".join(f"{name}: {problem}" for name, problem in fields.items())
    return f"error: {error.message}" + (f" ({detail})" if detail else "")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        config.settings()  # every setting checked before any work
        return args.run(args)
    except config.SettingError as error:
        print(f"error: {error.message}", file=sys.stderr)
        return EXIT_REFUSED
    except DomainError as error:
        print(_refused(error), file=sys.stderr)
        return EXIT_REFUSED
    except (sa.exc.OperationalError, sa.exc.ProgrammingError) as error:
        print(f"error: the database at {_shown_url(args.database_url)} refused: "
              f"{error.orig or error}", file=sys.stderr)
        print("hint: is it running, and has `fulfil migrate` been run?", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except EOFError:
        print("error: no password given", file=sys.stderr)
        return EXIT_REFUSED


if __name__ == "__main__":
    sys.exit(main())
