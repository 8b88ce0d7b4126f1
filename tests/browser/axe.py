"""axe-core in a Playwright page: the vendored axe.min.js, run on the whole document."""

from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
BLOCKING = {"serious", "critical"}


def serious_violations(page):
    """axe's serious and critical violations on the page, one readable line each."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, not an inline <script> tag: the page's
        # Content-Security-Policy refuses inline scripts, and the test must not loosen it.
        page.evaluate("() => {\n" + AXE.read_text() + "\n}")
    result = page.evaluate("axe.run(document)")
    lines = []
    for violation in result["violations"]:
        if violation["impact"] not in BLOCKING:
            continue
        targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        more = len(violation["nodes"]) - 5
        lines.append(
            f"{violation['impact']} {violation['id']}: {violation['help']} "
            f"({len(violation['nodes'])}x: {targets}{f', +{more}' if more > 0 else ''})"
        )
    return lines
