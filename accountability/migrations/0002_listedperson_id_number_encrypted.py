"""Personal data at rest (docs/personal-data.md): the listed persons' ID numbers encrypted
(AES-256-GCM, ZHIQIAN_DATA_KEYS); existing rows converted in batches, decrypted again on reverse."""

from django.db import migrations

import cases.models.personal_fields
from cases.personal_data import decrypt, encrypt, is_encrypted

BATCH = 2000
PURPOSE = "accountability_listedperson.id_number"


def _convert(schema_editor, change) -> None:
    with schema_editor.connection.cursor() as cursor:
        last = 0
        while True:
            cursor.execute(
                "SELECT id, id_number FROM accountability_listedperson WHERE id > %s ORDER BY id LIMIT %s",
                [last, BATCH],
            )
            rows = cursor.fetchall()
            if not rows:
                break
            cursor.executemany(
                "UPDATE accountability_listedperson SET id_number = %s WHERE id = %s",
                [(change(value or ""), pk) for pk, value in rows],
            )
            last = rows[-1][0]
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def encrypt_rows(apps, schema_editor) -> None:
    _convert(schema_editor, lambda v: v if is_encrypted(v) else encrypt(v, purpose=PURPOSE))


def decrypt_rows(apps, schema_editor) -> None:
    _convert(schema_editor, lambda v: decrypt(v, purpose=PURPOSE) if is_encrypted(v) else v)


class Migration(migrations.Migration):
    dependencies = [("accountability", "0001_initial")]

    operations = [
        migrations.AlterField(
            model_name="listedperson",
            name="id_number",
            field=cases.models.personal_fields.EncryptedCharField(
                max_length=18, purpose=PURPOSE, verbose_name="身份证号"
            ),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows),
    ]
