"""Run axe-core in the page and turn its findings into readable test failures."""

from playwright.sync_api import Page

from tests.browser.conftest import AXE_SCRIPT, BrowserLog

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(page: Page) -> list[dict]:
    page.add_script_tag(path=AXE_SCRIPT)
    return page.evaluate(
        """async tags => (await axe.run(document, {
            runOnly: {type: "tag", values: tags},
            resultTypes: ["violations"],
        })).violations""",
        WCAG_TAGS,
    )


def describe(violations: list[dict], limit: int = 3) -> str:
    lines = [f"{len(violations)} axe violation(s):"]
    for violation in violations:
        targets = ", ".join(" ".join(map(str, node["target"])) for node in violation["nodes"][:limit])
        lines.append(f"- {violation['id']}: {violation['help']} [{len(violation['nodes'])} node(s): {targets}]")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    violations = axe_violations(page)
    assert not violations, f"{page.url}\n{describe(violations)}"


def assert_no_browser_errors(log: BrowserLog, expected: tuple[str, ...] = ()) -> None:
    assert [error for error in log.console_errors if error not in expected] == []
    assert log.foreign_requests == []
