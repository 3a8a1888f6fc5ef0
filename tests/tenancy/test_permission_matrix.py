"""The documented permission matrix is the one the code enforces."""

from __future__ import annotations

from pathlib import Path

from loket.tenancy.permissions import ROLE_PERMISSIONS, Permission, Role

DOC = Path(__file__).parents[2] / "docs" / "permissions.md"


def documented_matrix() -> dict[str, dict[str, bool]]:
    text = DOC.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(text) if line.startswith("| permission |"))
    lines = []
    for line in text[start:]:
        if not line.startswith("|"):
            break
        lines.append(line)
    header = [cell.strip().strip("`") for cell in lines[0].strip("|").split("|")]
    roles = header[1:-1]  # the last column describes the permission
    matrix: dict[str, dict[str, bool]] = {}
    for line in lines[2:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        permission = cells[0].strip("`")
        matrix[permission] = {role: cells[i + 1] == "✓" for i, role in enumerate(roles)}
    return matrix


def test_docs_show_exactly_the_matrix_in_code() -> None:
    in_code = {
        permission.value: {role.value: permission in ROLE_PERMISSIONS[role] for role in Role}
        for permission in Permission
    }
    assert documented_matrix() == in_code


def test_roles_grow_from_viewer_to_admin() -> None:
    assert ROLE_PERMISSIONS[Role.AGENT] <= ROLE_PERMISSIONS[Role.COORDINATOR]
    assert ROLE_PERMISSIONS[Role.ANALYST] <= ROLE_PERMISSIONS[Role.COORDINATOR]
    assert ROLE_PERMISSIONS[Role.COORDINATOR] < ROLE_PERMISSIONS[Role.ADMIN]
    assert Permission.HANDLE_CASES not in ROLE_PERMISSIONS[Role.ANALYST]
    assert Permission.MANAGE_MEMBERS not in ROLE_PERMISSIONS[Role.COORDINATOR]
