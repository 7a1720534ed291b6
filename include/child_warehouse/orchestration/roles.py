"""Each task's database role: a stage connects as its pipeline login (child_warehouse.db.roles), and
its log says which, so an engineer can see from any task's log that no stage ran as the superuser."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from child_warehouse.db.connection import acting_as, fetch_all

log = logging.getLogger("child_warehouse.summary")

_WHO = """
select current_user, r.rolsuper, r.rolbypassrls,
       array(select g.rolname from pg_auth_members as m join pg_roles as g on g.oid = m.roleid
             where m.member = r.oid order by 1)
from pg_roles as r where r.rolname = current_user
"""


@contextmanager
def stage_role(group: str) -> Iterator[None]:
    """Run the block as `group`'s login, after logging `current_user` as the database reports it."""
    with acting_as(group):
        user, superuser, bypass, groups = fetch_all(_WHO)[0]
        powers = ", ".join(p for p, held in (("SUPERUSER", superuser), ("BYPASSRLS", bypass)) if held)
        log.info(
            "Database role: current_user %s, member of %s%s",
            user,
            ", ".join(groups) or "no group",
            f"; WARNING: {powers}" if powers else "",
        )
        yield
