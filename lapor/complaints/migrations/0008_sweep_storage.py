"""Room for the sweep: fewer, better indexes on reports and events, and free space on report pages.

Indexes that a composite index already leads with are dropped (status, agency, category,
event's report), and a few single-column indexes become plain ones without PostgreSQL's extra
pattern-matching twin: every index is written on every insert and on most updates.

With `fillfactor = 85` PostgreSQL keeps 15 % of each page of the report table free, so an
update that touches no indexed column (escalation level, reminder mark) stays on its page
(a HOT update) instead of writing to every index. SQLite has no such setting. The setting
applies to pages written from now on; `VACUUM FULL complaints_report` rewrites an existing
table with it.
"""

from django.conf import settings
import django.db.models.deletion
from django.db import migrations, models


def set_fillfactor(percent):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE complaints_report SET (fillfactor = {int(percent)})")

    return apply


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_notification_preferences'),
        ('complaints', '0007_clock_and_escalation'),
        ('regions', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='report',
            name='category',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reports', to='complaints.category'),
        ),
        migrations.AlterField(
            model_name='report',
            name='channel',
            field=models.CharField(choices=[('web', 'Situs web'), ('mobile', 'Aplikasi seluler'), ('sms', 'SMS 1708'), ('whatsapp', 'WhatsApp'), ('email', 'Surel'), ('social', 'Media sosial'), ('call_center', 'Pusat panggilan'), ('walk_in', 'Loket pengaduan'), ('letter', 'Surat'), ('local_app', 'Aplikasi daerah')], default='web', max_length=12),
        ),
        migrations.AlterField(
            model_name='report',
            name='current_agency',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reports', to='accounts.agency'),
        ),
        migrations.AlterField(
            model_name='report',
            name='status',
            field=models.CharField(choices=[('received', 'Diterima (belum terverifikasi)'), ('on_hold', 'Ditunda (menunggu kelengkapan)'), ('disposed', 'Terverifikasi dan terdisposisi'), ('forwarded', 'Diteruskan ke unit'), ('returned', 'Dikembalikan (bukan wewenang)'), ('followed_up', 'Ditindaklanjuti'), ('reporter_replied', 'Ditanggapi oleh pelapor'), ('appealed', 'Banding'), ('completed', 'Selesai'), ('archived', 'Diarsipkan')], default='received', max_length=20),
        ),
        migrations.AlterField(
            model_name='reportevent',
            name='report',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='events', to='complaints.report'),
        ),
        migrations.AlterField(
            model_name='reportevent',
            name='type',
            field=models.CharField(max_length=60),
        ),
        migrations.AddIndex(
            model_name='report',
            index=models.Index(condition=models.Q(('status', 'on_hold')), fields=['held_at'], name='report_on_hold_since'),
        ),
        migrations.AddIndex(
            model_name='report',
            index=models.Index(fields=['channel'], name='report_channel'),
        ),
        migrations.AddIndex(
            model_name='reportevent',
            index=models.Index(fields=['type', 'created_at'], name='event_type_created'),
        ),
        migrations.RunPython(set_fillfactor(85), set_fillfactor(100), elidable=True),
    ]
