"""`govqa serve`: the web app."""

from __future__ import annotations

import os
import sys


def add_commands(subparsers) -> None:
    from assistant.cli import add_common

    parser = subparsers.add_parser("serve", help="run the web app (chat, staff views, API)")
    add_common(parser)
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    parser.add_argument("--auth", help="staff login USER:PASSWORD enabling report upload at /staff "
                        "(default: GOVQA_STAFF_USER / GOVQA_STAFF_PASSWORD)")
    parser.add_argument("--keyword-only", action="store_true",
                        help="do not build a missing dense index in the background (BM25 only)")
    parser.set_defaults(func=run_serve)


def run_serve(args) -> int:
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    from assistant.app import make_context
    from assistant.app.ui import serve
    from assistant.qa import QA
    from assistant.search.layout import IndexStoreError
    from assistant.settings import load_settings

    settings = load_settings(corpus=args.corpus, index_dir=args.index_dir)
    try:
        ctx = make_context(None, settings, args.auth)
    except ValueError as exc:
        print(f"govqa serve: {exc}", file=sys.stderr)
        return 2
    try:
        ctx.qa = QA(settings, background_dense=not args.keyword_only)
    except (IndexStoreError, OSError, ValueError) as exc:  # say what is wrong, not a traceback
        print(f"govqa serve: cannot open the index in {settings.index_dir}: {exc}", file=sys.stderr)
        return 1
    ctx.qa.warm_up_in_background()
    staff = "staff upload at /staff" if ctx.staff_enabled else "no staff login: upload disabled"
    print(f"govqa: serving on http://{args.host}:{args.port}/ ({staff})", flush=True)

    serve(ctx, args.host, args.port)
    return 0
