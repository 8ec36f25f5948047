"""The person records' blind indexes (cases migration 0037_perf15_party_indexes): exact-match B-trees only (no
varchar_pattern_ops "_like" twin, which db_index=True adds on PostgreSQL and no query uses: two index entries
fewer for every person a million-line roster creates), and the ID number's carrying the id, so "the oldest
record of this number" (person_for: ORDER BY id LIMIT 1) is one index probe even for a number not yet known —
without it PostgreSQL walked the whole primary key looking for a match (1.2 s a line at two million persons)."""

from __future__ import annotations

import pytest
from django.db import connection

from cases.models import Party
from cases.personal_data import blind_index

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's indexes and plans")


def test_the_blind_indexes_are_declared_as_plain_indexes():
    indexes = {index.name: index.fields for index in Party._meta.indexes}
    assert indexes == {"party_id_number_index": ["id_number_index", "id"], "party_phone_index": ["phone_index"]}
    assert not Party._meta.get_field("id_number_index").db_index
    assert not Party._meta.get_field("phone_index").db_index


@postgres_only
def test_no_pattern_ops_twin_on_postgresql():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [Party._meta.db_table])
        found = dict(cursor.fetchall())
    assert set(found) == {"cases_party_pkey", "party_id_number_index", "party_phone_index"}
    assert "(id_number_index, id)" in found["party_id_number_index"]
    assert not [d for d in found.values() if "pattern_ops" in d]


@postgres_only
def test_the_oldest_record_of_an_unknown_number_is_one_probe_without_a_sort():
    for n in range(50):
        Party.objects.create(name=f"索引{n}", id_number="", phone="")
    query = Party.objects.filter(id_number_index=blind_index("id", "360302198001010012")).order_by("id")[:1]
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan TO off")  # a table this small would be read whole
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "party_id_number_index" in plan and "Sort" not in plan and "cases_party_pkey" not in plan, plan
