"""Impact indicators: the benefits citizens feel, per dimension and across the programme."""

from __future__ import annotations

from evaluations.reference_data.specs import IndicatorSpec

IMPACT: tuple[IndicatorSpec, ...] = (
    IndicatorSpec(
        code="IM-01",
        component="impact",
        dimension="governance",
        name="Manfaat tata kelola bagi warga",
        description=(
            "Perubahan yang dirasakan warga dari program Smart Governance: waktu dan biaya "
            "layanan, kepuasan, dan tindak lanjut pengaduan."
        ),
        levels=(
            "Tidak ada data manfaat program bagi warga.",
            "Manfaat hanya diklaim secara naratif, tanpa data.",
            "Ada data keluaran (jumlah layanan, pengguna), tetapi tanpa pembanding.",
            "Ada data perbaikan layanan (mis. waktu proses lebih singkat) dibanding sebelum "
            "program.",
            "Survei kepuasan masyarakat menunjukkan kenaikan, dan pengaduan ditindaklanjuti "
            "dalam batas waktu.",
            "Kinerja dan kepuasan layanan naik beberapa tahun berturut-turut dan diakui pihak "
            "luar.",
        ),
    ),
    IndicatorSpec(
        code="IM-02",
        component="impact",
        dimension="branding",
        name="Manfaat branding bagi daerah",
        description=(
            "Perubahan kunjungan wisata, investasi dan citra daerah yang berkaitan dengan "
            "program Smart Branding."
        ),
        levels=(
            "Tidak ada data kunjungan wisata maupun investasi.",
            "Manfaat hanya diklaim secara naratif, tanpa data.",
            "Data kunjungan wisata atau investasi tersedia, tanpa pembanding dengan sebelum "
            "program.",
            "Kunjungan wisata atau nilai investasi naik dibanding sebelum program.",
            "Kenaikan kunjungan, lama tinggal atau investasi terukur dan dapat dikaitkan "
            "dengan program branding.",
            "Kenaikan berlanjut beberapa tahun dan menaikkan pendapatan warga serta pelaku "
            "usaha lokal.",
        ),
    ),
    IndicatorSpec(
        code="IM-03",
        component="impact",
        dimension="economy",
        name="Manfaat ekonomi bagi warga",
        description=(
            "Perubahan pendapatan, lapangan kerja, UMKM aktif dan inklusi keuangan yang "
            "berkaitan dengan program Smart Economy."
        ),
        levels=(
            "Tidak ada data manfaat ekonomi program.",
            "Manfaat hanya diklaim secara naratif, tanpa data.",
            "Ada data peserta atau penerima program, tanpa ukuran perubahan.",
            "Ada data kenaikan omzet UMKM, transaksi non-tunai atau penyerapan tenaga kerja "
            "dari program.",
            "Dampak ekonomi terukur pada kelompok sasaran, dan ketepatan sasaran bantuan membaik.",
            "Indikator daerah (kemiskinan, pengangguran, inklusi keuangan) membaik, dan "
            "sebagian perbaikan dapat dikaitkan dengan program.",
        ),
    ),
    IndicatorSpec(
        code="IM-04",
        component="impact",
        dimension="living",
        name="Manfaat bagi kualitas hidup warga",
        description=(
            "Perubahan akses kesehatan, waktu tempuh dan kelayakan hunian yang dirasakan warga "
            "dari program Smart Living."
        ),
        levels=(
            "Tidak ada data manfaat program bagi kualitas hidup warga.",
            "Manfaat hanya diklaim secara naratif, tanpa data.",
            "Ada data pemanfaatan layanan (kunjungan, penumpang), tanpa pembanding.",
            "Ada perbaikan terukur pada satu bidang (mis. waktu tunggu layanan kesehatan atau "
            "waktu tempuh).",
            "Perbaikan terukur pada kesehatan, mobilitas dan hunian, dikonfirmasi survei warga.",
            "Indikator kualitas hidup (mis. kecelakaan lalu lintas, luas kawasan kumuh, "
            "cakupan layanan kesehatan) membaik berkelanjutan.",
        ),
    ),
    IndicatorSpec(
        code="IM-05",
        component="impact",
        dimension="society",
        name="Manfaat sosial bagi warga",
        description=(
            "Perubahan literasi digital, partisipasi komunitas, akses belajar dan rasa aman "
            "dari program Smart Society."
        ),
        levels=(
            "Tidak ada data manfaat sosial program.",
            "Manfaat hanya diklaim secara naratif, tanpa data.",
            "Ada data peserta kegiatan, tanpa ukuran perubahan.",
            "Ada perbaikan terukur pada satu bidang (mis. literasi digital atau waktu tanggap "
            "darurat).",
            "Perbaikan terukur pada beberapa bidang, dikonfirmasi survei warga atau data "
            "instansi terkait.",
            "Partisipasi warga dan rasa aman meningkat berkelanjutan; komunitas menjalankan "
            "program secara mandiri.",
        ),
    ),
    IndicatorSpec(
        code="IM-06",
        component="impact",
        dimension="environment",
        name="Manfaat bagi lingkungan hidup",
        description=(
            "Perubahan kualitas udara dan air, sampah yang terkelola dan penghematan energi "
            "dari program Smart Environment."
        ),
        levels=(
            "Tidak ada data manfaat lingkungan program.",
            "Manfaat hanya diklaim secara naratif, tanpa data.",
            "Ada data kegiatan (jumlah bank sampah, lampu yang diganti), tanpa ukuran hasil.",
            "Ada perbaikan terukur pada satu bidang (mis. sampah terkelola atau penghematan "
            "energi).",
            "Perbaikan terukur pada beberapa bidang dan dilaporkan rutin kepada publik.",
            "Indikator lingkungan membaik berkelanjutan dan menjadi acuan kebijakan daerah.",
        ),
    ),
    IndicatorSpec(
        code="IM-07",
        component="impact",
        name="Pemanfaatan dan kepuasan warga atas layanan smart city",
        description="Seberapa luas warga memakai layanan digital daerah dan bagaimana menilainya.",
        levels=(
            "Tidak ada data pengguna maupun kepuasan warga.",
            "Data pengguna tersedia untuk sebagian kecil aplikasi.",
            "Jumlah pengguna aktif seluruh layanan utama tercatat.",
            "Survei kepuasan atas layanan digital dilakukan dan hasilnya dipublikasikan.",
            "Pemanfaatan dan kepuasan naik dibanding evaluasi sebelumnya; masukan warga "
            "ditindaklanjuti.",
            "Layanan digital dipakai sebagian besar warga sasaran dengan kepuasan tinggi yang "
            "stabil.",
        ),
    ),
    IndicatorSpec(
        code="IM-08",
        component="impact",
        name="Inklusivitas manfaat",
        description=(
            "Apakah manfaat program menjangkau kelompok rentan: penyandang disabilitas, lansia, "
            "warga berpenghasilan rendah dan wilayah terpencil."
        ),
        levels=(
            "Kebutuhan kelompok rentan tidak dipertimbangkan.",
            "Kebutuhan kelompok rentan disebut dalam dokumen, tanpa program.",
            "Layanan pendamping (mis. loket bantuan) tersedia bagi kelompok rentan pada "
            "beberapa layanan.",
            "Layanan utama memenuhi standar aksesibilitas dasar dan menjangkau wilayah terpencil.",
            "Pemanfaatan oleh kelompok rentan dipantau dengan data terpilah.",
            "Kesenjangan pemanfaatan antara kelompok rentan dan warga umum menyempit secara "
            "terukur.",
        ),
    ),
)
