import pytest
from django.db import connection, transaction

from apps.core.db import PreparedStatement

ADD = PreparedStatement("lector_test_add", "SELECT %(a)s::int + %(b)s::int, 7 %% 4, %(a)s::int")


def run(**params):
    with transaction.atomic(), connection.cursor() as cursor:
        ADD.execute(cursor, params)
        return cursor.fetchone()


def prepared_names() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        return {name for (name,) in cursor.fetchall()}


@pytest.mark.django_db(transaction=True)
def test_a_statement_is_prepared_once_a_connection_and_again_on_a_new_one():
    assert run(a=2, b=3) == (5, 3, 2)  # named parameters numbered once each; %% is the modulo operator
    assert "lector_test_add" in prepared_names()
    assert run(a=10, b=-4) == (6, 3, 10)
    connection.close()
    assert "lector_test_add" not in prepared_names()  # a new session
    assert run(a=1, b=1) == (2, 3, 1)


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_keeps_the_statement():
    def fail_after_running():
        with transaction.atomic():
            run(a=1, b=2)
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        fail_after_running()
    assert run(a=4, b=4) == (8, 3, 4)
