"""`after_commit`: a unit of work's own callbacks run once it has committed, once each, and
not at all when it rolls back; on both stores."""

import pytest
from sqlalchemy import text

from shared.store.db import Database, after_commit, create_engine

pytestmark = pytest.mark.integration


class Failed(Exception):
    pass


@pytest.fixture
async def db(each_store):
    database = Database(create_engine(each_store("tft_after_commit")))
    yield database
    await database.dispose()


async def test_a_callback_runs_once_after_the_commit_and_never_after_a_rollback(db):
    calls: list[str] = []

    def committed() -> None:
        calls.append("committed")

    async with db.writing() as tx:
        await tx.execute(text("SELECT 1"))
        after_commit(tx, committed)
        after_commit(tx, committed)  # asked twice in one unit of work: run once
        assert calls == []  # not before the commit
    assert calls == ["committed"]

    with pytest.raises(Failed):
        async with db.transaction() as tx:
            after_commit(tx, committed)
            raise Failed
    async with db.transaction() as tx:  # a later unit of work does not inherit it
        await tx.execute(text("SELECT 1"))
    assert calls == ["committed"]
