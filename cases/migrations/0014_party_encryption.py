"""Personal data at rest (docs/personal-data.md): parties' ID numbers and phones and the notification
outbox's phone encrypted (AES-256-GCM, ZHIQIAN_DATA_KEYS); blind indexes (HMAC, ZHIQIAN_INDEX_KEY) for
the look-ups; the complaint's duplicate-check key becomes the blind index of the complainant's ID number
(or phone). Existing rows are converted in batches; the reverse migration decrypts them again.

Raw SQL on purpose: the historical models' fields decrypt on read, and the rows are still plain text."""

from django.db import migrations, models

import cases.models.personal_fields
from cases.personal_data import blind_index, decrypt, encrypt, is_encrypted

BATCH = 2000
PARTY_ID, PARTY_PHONE, NOTIFICATION_TO = "cases_party.id_number", "cases_party.phone", "cases_notification.to"


def _batches(cursor, table: str, columns: str):
    last = 0
    while True:
        cursor.execute(f"SELECT id, {columns} FROM {table} WHERE id > %s ORDER BY id LIMIT %s", [last, BATCH])
        rows = cursor.fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _plain(value, purpose: str) -> str:
    return decrypt(value, purpose=purpose) if is_encrypted(value) else (value or "")


def _sealed(value, purpose: str) -> str:
    return value if is_encrypted(value) else encrypt(value or "", purpose=purpose)


def _immediate(connection) -> None:
    # PostgreSQL: no deferred foreign-key checks left pending by these UPDATEs for a later ALTER TABLE
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def encrypt_rows(apps, schema_editor) -> None:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for rows in _batches(cursor, "cases_party", "id_number, phone"):
            cursor.executemany(
                "UPDATE cases_party SET id_number = %s, phone = %s, id_number_index = %s, phone_index = %s "
                "WHERE id = %s",
                [
                    (
                        _sealed(id_number, PARTY_ID),
                        _sealed(phone, PARTY_PHONE),
                        blind_index("id", _plain(id_number, PARTY_ID)),
                        blind_index("phone", _plain(phone, PARTY_PHONE)),
                        pk,
                    )
                    for pk, id_number, phone in rows
                ],
            )
        for rows in _batches(cursor, "cases_notification", '"to"'):
            cursor.executemany(
                'UPDATE cases_notification SET "to" = %s WHERE id = %s',
                [(_sealed(to, NOTIFICATION_TO), pk) for pk, to in rows],
            )
        _complainant_keys(cursor, "id_number_index", "phone_index")
    _immediate(connection)


def decrypt_rows(apps, schema_editor) -> None:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for rows in _batches(cursor, "cases_party", "id_number, phone"):
            cursor.executemany(
                "UPDATE cases_party SET id_number = %s, phone = %s WHERE id = %s",
                [(_plain(id_number, PARTY_ID), _plain(phone, PARTY_PHONE), pk) for pk, id_number, phone in rows],
            )
        for rows in _batches(cursor, "cases_notification", '"to"'):
            cursor.executemany(
                'UPDATE cases_notification SET "to" = %s WHERE id = %s',
                [(_plain(to, NOTIFICATION_TO), pk) for pk, to in rows],
            )
        _complainant_keys(cursor, "id_number", "phone")
    _immediate(connection)


def _complainant_keys(cursor, id_column: str, phone_column: str) -> None:
    """complainant_key from the complainant's party (the same person with the same ID and phone, so
    the same key intake computed): its ID number's value, else its phone's, in id ranges."""
    cursor.execute("SELECT COALESCE(MAX(id), 0) FROM cases_complaint")
    top = cursor.fetchone()[0]
    for start in range(0, top, BATCH * 10):
        cursor.execute(
            f"UPDATE cases_complaint SET complainant_key = COALESCE((SELECT CASE WHEN p.{id_column} <> '' "
            f"THEN p.{id_column} ELSE p.{phone_column} END FROM cases_party p "
            "WHERE p.id = cases_complaint.complainant_id), '') WHERE id > %s AND id <= %s",
            [start, start + BATCH * 10],
        )


def _encrypted(max_length: int, purpose: str, **kwargs):
    return cases.models.personal_fields.EncryptedCharField(max_length=max_length, purpose=purpose, **kwargs)


def _index(source: str, kind: str):
    return cases.models.personal_fields.BlindIndexField(
        blank=True, db_index=True, default="", editable=False, kind=kind, max_length=32, source=source
    )


class Migration(migrations.Migration):
    dependencies = [("cases", "0013_timeline_anchor")]

    operations = [
        migrations.AlterField(
            model_name="party",
            name="id_number",
            field=_encrypted(18, PARTY_ID, blank=True, verbose_name="身份证号"),
        ),
        migrations.AlterField(
            model_name="party",
            name="phone",
            field=_encrypted(11, PARTY_PHONE, blank=True, verbose_name="手机号"),
        ),
        migrations.AddField(model_name="party", name="id_number_index", field=_index("id_number", "id")),
        migrations.AddField(model_name="party", name="phone_index", field=_index("phone", "phone")),
        migrations.AlterField(
            model_name="complaint", name="complainant_key", field=models.CharField(blank=True, max_length=32)
        ),
        migrations.AlterField(model_name="notification", name="to", field=_encrypted(200, NOTIFICATION_TO)),
        migrations.RunPython(encrypt_rows, decrypt_rows),
    ]
