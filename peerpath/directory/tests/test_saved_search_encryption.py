"""Her kept searches (which hold her postcode or town and her stage) are encrypted at rest."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import QueryDict

from conftest import make_person
from peerpath.accounts.choices import Role
from peerpath.directory.alerts import clean_query, saved_search_create
from peerpath.directory.models import SavedSearch

BEFORE = [("directory", "0005_search_reads_sessions_in_time_order")]


def make_person_without_roles(email: str):
    from peerpath.accounts.models import User

    return User.objects.create_user(email=email, password=None)


def _raw(pk: int) -> tuple[str, str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT query, description, query_digest FROM directory_savedsearch WHERE id = %s",
            [pk],
        )
        query, description, digest = cursor.fetchone()
    return str(query), str(description), str(digest)


@pytest.mark.django_db
def test_the_query_and_its_words_are_ciphertext_and_the_same_search_is_kept_once(organisation):
    mum = make_person(organisation, Role.MEMBER)
    data = QueryDict("where=online&stage=pregnant")

    saved = saved_search_create(user=mum, data=data)
    again = saved_search_create(user=mum, data=data)

    query, description, digest = _raw(saved.pk)
    assert again.pk == saved.pk
    assert query.startswith("gAAAAA")
    assert description.startswith("gAAAAA")
    assert "pregnant" not in query + description + digest
    assert len(digest) == 64
    assert SavedSearch.objects.get(pk=saved.pk).query == clean_query(data)


@pytest.mark.django_db(transaction=True)
def test_searches_kept_before_are_encrypted_with_their_digest_and_back_again():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    try:
        user = make_person_without_roles("kept@example.org")
        row = old.get_model("directory", "SavedSearch").objects.create(
            user_id=user.pk, query="where=Exeter&stage=pregnant", description="Exeter; pregnant"
        )

        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        query, description, digest = _raw(row.pk)
        assert query.startswith("gAAAAA")
        assert description.startswith("gAAAAA")
        assert digest == SavedSearch.digest("where=Exeter&stage=pregnant")
        assert SavedSearch.objects.get(pk=row.pk).description == "Exeter; pregnant"

        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT query, description FROM directory_savedsearch WHERE id = %s", [row.pk]
            )
            query, description = cursor.fetchone()
        assert (query, description) == ("where=Exeter&stage=pregnant", "Exeter; pregnant")
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
