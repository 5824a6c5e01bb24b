"""The feed page's two query strategies timed in process, on a database seeded by feed.py.

"one statement": the rule joined in one statement, ordered by the feed index and limited (what
SQLite runs). "batched": the reader's audience rows read in index order a batch at a time,
the rule applied to each batch by id (what PostgreSQL runs). 300 random readers per pass,
two passes each, alternating; one AsyncSession per read, as a request has.

    .venv/bin/python bench/feed.py --backend both --keep          # seed once, note the paths
    taskset -c 0 .venv/bin/python bench/feed_strategies.py DATABASE_URL
"""

import asyncio
import random
import statistics
import sys
import time
from types import SimpleNamespace
from typing import Any

from socialode.config import Settings
from socialode.moments import access
from socialode.moments.access import PAGE, MomentAudience, _views, _with_people, shared_with
from socialode.platform.services import Services


async def one_statement(db: Any, viewer: Any, lower: int, upper: int | None) -> list[Any]:
    query = (
        _with_people()
        .join(MomentAudience, shared_with(viewer.id))
        .where(MomentAudience.moment_id > lower)
    )
    rows = (await db.execute(query.order_by(MomentAudience.moment_id.desc()).limit(PAGE + 1))).all()
    return _views(viewer.id, rows)


async def main(url: str) -> None:
    svc = Services.build(Settings(database_url=url, data_dir="/tmp/ft"))
    readers = random.Random(1).sample(range(1, 10001), 300)
    batched = access._others_page_batched
    for name, fn in (("one statement", one_statement), ("batched", batched)) * 2:
        times = []
        for r in readers:
            v = SimpleNamespace(id=r, user=None)
            async with svc.db.sessions() as db:
                t = time.perf_counter()
                res = await fn(db, v, 0, None)
                times.append((time.perf_counter() - t) * 1000)
        items = res if isinstance(res, list) else res.items
        times.sort()
        p50, p99 = statistics.median(times), times[int(len(times) * 0.99)]
        print(f"{name:14} p50 {p50:.2f} ms  p99 {p99:.2f} ms  (last page: {len(items)} rows)")
    await svc.close()


asyncio.run(main(sys.argv[1]))
