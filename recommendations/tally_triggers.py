"""The triggers that keep the endorsement tallies, the same on PostgreSQL and SQLite.

Triggers rather than code in the services: every write path (the services, the admin and its
history reverts, factories, bulk loads, raw SQL) then keeps the counts exact, in the writer's own
transaction, as migration 0008 keeps the SQLite full-text tables. Plain SQL rather than
django-pgtrigger: the SQLite half must be written by hand anyway, and one file then shows both
dialects doing the same thing.

- ``recommendation.endorsement_tally`` / ``unnamed_tally``: active endorsements, named or not /
  counted but not named; ``letter.signature_tally``: active signatures.
- ``organization.named_endorsement_tally``: active *named* endorsements of recommendations of
  published convenings, which is what the "endorsed by" facet counts; a convening's status change
  recounts the organizations that endorsed its recommendations.

A decrement never goes below 0 (a drifted tally must not make an endorsement fail its CHECK);
the nightly ``services.tallies_reconcile`` repairs any drift.

They are installed after every ``migrate`` (``apps.py``), not by a migration: SQLite rebuilds a
table to add a column, which drops the triggers on it, and refuses to rename a rebuilt table back
while a trigger elsewhere names it. So on SQLite they are dropped before migrating; on both they
are (re)installed after, and when they were missing the tallies are recounted from the rows.
"""

# ruff: noqa: S608  # every statement is built from the constants below, never from input

from __future__ import annotations

from typing import Any

ACTIVE_COLUMNS = "withdrawn_at, is_named, recommendation_id, letter_id, organization_id"
PUBLISHED = "published"  # events.Convening.Status.PUBLISHED


def _published(row: str) -> str:
    return (
        "EXISTS (SELECT 1 FROM recommendations_recommendation r INNER JOIN events_convening c "
        f"ON c.id = r.convening_id WHERE r.id = {row}.recommendation_id AND c.status = '{PUBLISHED}')"
    )


def tally_statements(row: str, sign: str, vendor: str) -> list[str]:
    """The three updates one active endorsement ``row`` (NEW or OLD) makes, adding or taking 1."""
    floor = "GREATEST" if vendor == "postgresql" else "MAX"

    def step(column: str, amount: str = "1") -> str:
        return f"{column} = {floor}({column} {sign} {amount}, 0)"

    unnamed = f"(CASE WHEN {row}.is_named THEN 0 ELSE 1 END)"
    return [
        f"UPDATE recommendations_recommendation SET {step('endorsement_tally')}, {step('unnamed_tally', unnamed)} "
        f"WHERE id = {row}.recommendation_id",
        f"UPDATE recommendations_letter SET {step('signature_tally')} WHERE id = {row}.letter_id",
        f"UPDATE organizations_organization SET {step('named_endorsement_tally')} "
        f"WHERE id = {row}.organization_id AND {row}.is_named AND {_published(row)}",
    ]


def organization_recount(where: str) -> str:
    return (
        "UPDATE organizations_organization SET named_endorsement_tally = (SELECT COUNT(*) "
        "FROM recommendations_endorsement e INNER JOIN recommendations_recommendation r ON r.id = e.recommendation_id "
        "INNER JOIN events_convening c ON c.id = r.convening_id "
        "WHERE e.organization_id = organizations_organization.id "
        f"AND e.withdrawn_at IS NULL AND e.is_named AND c.status = '{PUBLISHED}') WHERE {where}"
    )


CONVENING_ORGANIZATIONS = (
    "id IN (SELECT e.organization_id FROM recommendations_endorsement e INNER JOIN recommendations_recommendation r "
    "ON r.id = e.recommendation_id WHERE r.convening_id = NEW.id)"
)

RECOUNT = [
    "UPDATE recommendations_recommendation SET "
    "endorsement_tally = (SELECT COUNT(*) FROM recommendations_endorsement e "
    "WHERE e.recommendation_id = recommendations_recommendation.id AND e.withdrawn_at IS NULL), "
    "unnamed_tally = (SELECT COUNT(*) FROM recommendations_endorsement e "
    "WHERE e.recommendation_id = recommendations_recommendation.id AND e.withdrawn_at IS NULL AND NOT e.is_named)",
    "UPDATE recommendations_letter SET signature_tally = (SELECT COUNT(*) FROM recommendations_endorsement e "
    "WHERE e.letter_id = recommendations_letter.id AND e.withdrawn_at IS NULL)",
    organization_recount("1 = 1"),
]


def postgresql_sql() -> list[str]:
    def block(row: str, sign: str) -> str:
        return "; ".join(tally_statements(row, sign, "postgresql")) + ";"

    return [
        "CREATE OR REPLACE FUNCTION recommendations_endorsement_tally() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN "
        f"IF TG_OP <> 'INSERT' AND OLD.withdrawn_at IS NULL THEN {block('OLD', '-')} END IF; "
        f"IF TG_OP <> 'DELETE' AND NEW.withdrawn_at IS NULL THEN {block('NEW', '+')} END IF; "
        "RETURN NULL; END $$",
        "CREATE OR REPLACE TRIGGER recommendations_endorsement_tally AFTER INSERT OR DELETE OR UPDATE OF "
        f"{ACTIVE_COLUMNS} ON recommendations_endorsement "
        "FOR EACH ROW EXECUTE FUNCTION recommendations_endorsement_tally()",
        "CREATE OR REPLACE FUNCTION recommendations_convening_tally() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN {organization_recount(CONVENING_ORGANIZATIONS)}; RETURN NULL; END $$",
        "CREATE OR REPLACE TRIGGER recommendations_convening_tally AFTER UPDATE OF status ON events_convening "
        "FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION recommendations_convening_tally()",
    ]


def sqlite_sql() -> list[str]:
    def trigger(name: str, event: str, when: str, statements: list[str]) -> str:
        body = "; ".join(statements)
        return f"CREATE TRIGGER {name} AFTER {event} ON recommendations_endorsement WHEN {when} BEGIN {body}; END"

    return [
        trigger(
            "endorsement_tally_insert", "INSERT", "NEW.withdrawn_at IS NULL", tally_statements("NEW", "+", "sqlite")
        ),
        trigger(
            "endorsement_tally_delete", "DELETE", "OLD.withdrawn_at IS NULL", tally_statements("OLD", "-", "sqlite")
        ),
        trigger(
            "endorsement_tally_update_old",
            f"UPDATE OF {ACTIVE_COLUMNS}",
            "OLD.withdrawn_at IS NULL",
            tally_statements("OLD", "-", "sqlite"),
        ),
        trigger(
            "endorsement_tally_update_new",
            f"UPDATE OF {ACTIVE_COLUMNS}",
            "NEW.withdrawn_at IS NULL",
            tally_statements("NEW", "+", "sqlite"),
        ),
        "CREATE TRIGGER convening_tally_status AFTER UPDATE OF status ON events_convening "
        f"WHEN OLD.status IS NOT NEW.status BEGIN {organization_recount(CONVENING_ORGANIZATIONS)}; END",
    ]


DROP = {
    "postgresql": [
        "DROP TRIGGER IF EXISTS recommendations_endorsement_tally ON recommendations_endorsement",
        "DROP FUNCTION IF EXISTS recommendations_endorsement_tally()",
        "DROP TRIGGER IF EXISTS recommendations_convening_tally ON events_convening",
        "DROP FUNCTION IF EXISTS recommendations_convening_tally()",
    ],
    "sqlite": [
        f"DROP TRIGGER IF EXISTS {name}"
        for name in (
            "endorsement_tally_insert",
            "endorsement_tally_delete",
            "endorsement_tally_update_old",
            "endorsement_tally_update_new",
            "convening_tally_status",
        )
    ],
}


TALLY_COLUMNS = {
    "recommendations_recommendation": ("endorsement_tally", "unnamed_tally"),
    "recommendations_letter": ("signature_tally",),
    "organizations_organization": ("named_endorsement_tally",),
}
PROBE = {"postgresql": "recommendations_endorsement_tally", "sqlite": "endorsement_tally_insert"}


def _columns_exist(connection: Any) -> bool:
    with connection.cursor() as cursor:
        for table, columns in TALLY_COLUMNS.items():
            present = {column.name for column in connection.introspection.get_table_description(cursor, table)}
            if not set(columns) <= present:
                return False
    return True


def installed(connection: Any) -> bool:
    probe = PROBE[connection.vendor]
    query = {
        "postgresql": "SELECT 1 FROM pg_trigger WHERE tgname = %s",
        "sqlite": "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = %s",
    }[connection.vendor]
    with connection.cursor() as cursor:
        cursor.execute(query, [probe])
        return cursor.fetchone() is not None


def uninstall(connection: Any) -> None:
    with connection.cursor() as cursor:
        for statement in DROP[connection.vendor]:
            cursor.execute(statement)


def install(connection: Any) -> None:
    """(Re)installs the triggers, recounting when they were missing; removes them when the
    tallies' columns are not there (a migration back past them)."""
    if connection.vendor not in PROBE:
        return
    if not _columns_exist(connection):
        uninstall(connection)
        return
    missing = not installed(connection)
    if connection.vendor == "sqlite":  # no CREATE OR REPLACE TRIGGER there
        uninstall(connection)
    statements = postgresql_sql() if connection.vendor == "postgresql" else sqlite_sql()
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    if missing:
        recount(connection)


def recount(connection: Any) -> None:
    """Every tally from the rows, set-based: for after a bulk load that ran with the triggers
    disabled (``ALTER TABLE recommendations_endorsement DISABLE TRIGGER USER``). With writers
    running, ``services.tallies_reconcile`` is the safe repair: it locks what it recounts."""
    with connection.cursor() as cursor:
        for statement in RECOUNT:
            cursor.execute(statement)
