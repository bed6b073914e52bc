from django.contrib.auth import views as auth_views
from django.urls import include, path

from .views import (
    accounts,
    files,
    notices,
    portal,
    public,
    track,
    workspace_agency,
    workspace_list,
    workspace_report,
    workspace_routing,
)

app_name = "web"

urlpatterns = [
    path("", public.home, name="home"),
    path("lapor/", portal.submit, name="submit"),
    path("lapor/terkirim/", portal.submitted, name="submitted"),
    path("lapor/serupa/", portal.similar, name="similar"),
    path("lacak/", track.track, name="track"),
    path("laporan/", public.feed, name="feed"),
    path("laporan/<str:tracking_id>/", public.report_public, name="report_public"),
    path("laporan/<str:tracking_id>/saya/", track.report_private, name="report_private"),
    path("laporan-saya/", accounts.my_reports, name="my_reports"),
    path("lampiran/<int:pk>/", files.attachment, name="attachment"),
    path("akun/daftar/", accounts.register, name="register"),
    path("akun/verifikasi/", accounts.verify, name="verify"),
    path("masuk/", accounts.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    # The officer workspace.
    path("akun/pemberitahuan/", notices.notices, name="notices"),
    path("petugas/pesan-gagal/", notices.dead_letters, name="dead_letters"),
    path("petugas/pesan-gagal/kirim-ulang/", notices.dead_letters_retry, name="dead_letters_retry"),
    path("petugas/laporan/", workspace_list.report_list, name="staff_reports"),
    path("petugas/laporan/disposisi-massal/", workspace_list.bulk_dispose, name="staff_bulk_dispose"),
    path("petugas/laporan/ekspor.<str:fmt>", workspace_list.export, name="staff_export"),
    path("petugas/saringan/", workspace_list.filter_save, name="staff_filter_save"),
    path("petugas/saringan/<int:pk>/hapus/", workspace_list.filter_delete, name="staff_filter_delete"),
    path("petugas/instansi/pengaturan/", workspace_agency.agency_settings, name="staff_agency_settings"),
    path("petugas/instansi/perutean/", workspace_routing.agency_routing, name="staff_agency_routing"),
    path("petugas/laporan/<str:tracking_id>/", workspace_report.report_detail, name="staff_report"),
    path("statistik/", include("lapor.web.urls_statistics")),
    path("pemantauan/", include("lapor.web.urls_monitoring")),
]
