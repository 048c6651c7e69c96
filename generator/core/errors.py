"""The library's own exceptions; the CLI turns them into messages and exit codes."""


class CasebookError(Exception):
    """A problem the user can fix (a missing path, a bad option); exit code 2.

    ``details``: lines that say more (a tool's own warnings), each shown on a line of its own.
    """

    def __init__(self, message: str = "", details: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.details = details


class InvalidCatalogue(CasebookError):
    """The catalogue has errors, so a build or export refuses to run; exit code 1."""

    def __init__(self, problems: list) -> None:  # type: ignore[type-arg]
        super().__init__(f"the catalogue has {len(problems)} problem(s)")
        self.problems = problems


class BuildError(CasebookError):
    """A step of the build failed; the previous site is untouched."""
