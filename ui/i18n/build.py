"""Extract translatable strings, write the ``.ts`` files and compile them to ``.qm``.

Usage: ``python3 -m ui.i18n.build [--check]``.

Extraction is done with :mod:`ast` (``pyside6-lupdate`` misses helper functions such as
``_tr = lambda text: QCoreApplication.translate("Ctx", text)``). Recognised calls:

* ``self.tr("text")`` inside a class -> context = the class name;
* ``QCoreApplication.translate("Context", "text")`` (or ``translate(...)``);
* ``name("text")`` where the module defines ``def name(text): return
  QCoreApplication.translate("Context", text)``.

Dutch texts come from :data:`ui.i18n.nl.DUTCH` (source text -> translation, shared by
all contexts). The ``.ts`` file is written for Qt Linguist users; the ``.qm`` is compiled
with ``pyside6-lrelease`` (shipped with PySide6-Essentials) and committed.
"""

from __future__ import annotations

import argparse
import ast
import logging
import shutil
import subprocess
import sys
from pathlib import Path
from xml.sax.saxutils import escape

logger = logging.getLogger(__name__)

UI_DIR = Path(__file__).resolve().parent.parent
I18N_DIR = Path(__file__).resolve().parent

Message = tuple[str, str]  # (context, source)


def _str_arg(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _helper_contexts(tree: ast.Module) -> dict[str, str]:
    """Module-level helpers ``def f(text): return QCoreApplication.translate("Ctx", text)``."""
    helpers: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and len(node.body) >= 1:
            last = node.body[-1]
            if isinstance(last, ast.Return) and isinstance(last.value, ast.Call):
                call = last.value
                if _call_name(call) == "translate" and call.args:
                    ctx = _str_arg(call.args[0])
                    if ctx is not None:
                        helpers[node.name] = ctx
    return helpers


def _call_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def extract_file(path: Path) -> list[Message]:
    """Translatable ``(context, source)`` pairs of one Python file, in order."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    helpers = _helper_contexts(tree)
    found: list[Message] = []

    def visit(node: ast.AST, cls: str | None) -> None:
        if isinstance(node, ast.ClassDef):
            cls = node.name
        if isinstance(node, ast.Call):
            name = _call_name(node)
            func = node.func
            if (name == "tr" and isinstance(func, ast.Attribute) and cls is not None
                    and isinstance(func.value, ast.Name) and func.value.id == "self"
                    and node.args):
                text = _str_arg(node.args[0])
                if text is not None:
                    found.append((cls, text))
            elif name == "translate" and len(node.args) >= 2:
                ctx, text = _str_arg(node.args[0]), _str_arg(node.args[1])
                if ctx is not None and text is not None:
                    found.append((ctx, text))
            elif isinstance(func, ast.Name) and func.id in helpers and node.args:
                text = _str_arg(node.args[0])
                if text is not None:
                    found.append((helpers[func.id], text))
        for child in ast.iter_child_nodes(node):
            visit(child, cls)

    visit(tree, None)
    return found


def source_files() -> list[Path]:
    """Every Python file of the desktop app."""
    return sorted(p for p in UI_DIR.rglob("*.py") if "i18n" not in p.parts)


def extract(files: list[Path] | None = None) -> list[Message]:
    """All messages, de-duplicated, in first-seen order."""
    seen: dict[Message, None] = {}
    for path in files or source_files():
        for msg in extract_file(path):
            seen.setdefault(msg, None)
    return list(seen)


def write_ts(path: Path, language: str, messages: list[Message],
             translations: dict[str, str]) -> list[Message]:
    """Write a Qt ``.ts`` file; returns the messages without a translation."""
    missing: list[Message] = []
    by_context: dict[str, list[str]] = {}
    for ctx, text in messages:
        by_context.setdefault(ctx, []).append(text)
    lines = ['<?xml version="1.0" encoding="utf-8"?>', "<!DOCTYPE TS>",
             f'<TS version="2.1" language="{language}">']
    for ctx in sorted(by_context):
        lines.append("<context>")
        lines.append(f"    <name>{escape(ctx)}</name>")
        for text in by_context[ctx]:
            lines.append("    <message>")
            lines.append(f"        <source>{escape(text)}</source>")
            done = translations.get(text)
            if done is None:
                missing.append((ctx, text))
                lines.append('        <translation type="unfinished"></translation>')
            else:
                lines.append(f"        <translation>{escape(done)}</translation>")
            lines.append("    </message>")
        lines.append("</context>")
    lines.append("</TS>")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return missing


def compile_qm(ts: Path) -> Path:
    """Compile ``ts`` with ``pyside6-lrelease``; returns the ``.qm`` path."""
    tool = shutil.which("pyside6-lrelease")
    if tool is None:
        import PySide6

        candidate = Path(PySide6.__file__).parent / "lrelease"
        tool = str(candidate) if candidate.exists() else None
    if tool is None:
        raise RuntimeError("pyside6-lrelease not found (it ships with PySide6-Essentials)")
    qm = ts.with_suffix(".qm")
    subprocess.run([tool, "-silent", str(ts), "-qm", str(qm)], check=True)
    return qm


def main(argv: list[str] | None = None) -> int:
    """Regenerate ``runningroom_nl.ts`` and ``runningroom_nl.qm``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="list untranslated strings")
    args = parser.parse_args(argv)
    from ui.i18n.nl import DUTCH

    messages = extract()
    ts = I18N_DIR / "runningroom_nl.ts"
    missing = write_ts(ts, "nl_NL", messages, DUTCH)
    qm = compile_qm(ts)
    sys.stdout.write(f"{len(messages)} strings, {len(missing)} untranslated -> {qm}\n")
    if args.check:
        for ctx, text in missing:
            sys.stdout.write(f"  {ctx}: {text!r}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
