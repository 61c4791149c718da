"""site/staff/assess.html: the assessment scorecard in the portal's staff section, written when
the build is given a scorecard (gkml build --staff makes one)."""
from __future__ import annotations

from ..assess_render import COLUMNS, cell, formula, render_json, title
from .html import common_context, environment
from .outputs import Context, File

ROOTS: tuple[str, ...] = ()   # writes under site/, which the portal builder declares
PAGE = "site/staff/assess.html"


def tables(scorecard) -> list[tuple[str, list[str], list[list[str]]]]:
    """(heading, headers, rows of cell texts) per level, as the partial shows them."""
    return [(title(scorecard, level), [c.zh for c in COLUMNS], [[cell(c, r, "zh") for c in COLUMNS] for r in scorecard.at(level)])
            for level in scorecard.levels()]


def render(ctx: Context) -> str:
    """The page."""
    scorecard = ctx.scorecard
    return environment(ctx.theme).get_template("partials/assess_page.html").render(
        root="../", title="评估记分卡", tables=tables(scorecard), formula=formula(scorecard),
        **common_context(ctx.site, ctx.warnings, ctx.options))


def outputs(ctx: Context) -> list[File]:
    """The scorecard page, keyed by the scorecard's figures (nothing when no scorecard was asked for)."""
    if ctx.scorecard is None:
        return []
    common_key = sorted(common_context(ctx.site, ctx.warnings, ctx.options).items())
    return [File(PAGE, (render_json(ctx.scorecard), common_key), lambda job: render(ctx))]


def summary(ctx: Context) -> list[tuple[str, str, int]]:
    """The staff page, for the build's closing line (when written)."""
    return [("个工作人员页面", "staff pages", 1)] if ctx.scorecard is not None else []
