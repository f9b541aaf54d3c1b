"""Indicators that apply to the whole region: Baseline, Output and Quick Win.

Levels follow one maturity scale: 0 nothing in place, 1 a first step, 2 partly in place,
3 working as planned, 4 integrated and measured, 5 optimal, lasting and with proven effect.
"""

from __future__ import annotations

from evaluations.reference_data.specs import IndicatorSpec

BASELINE: tuple[IndicatorSpec, ...] = (
    IndicatorSpec(
        code="BL-01",
        component="baseline",
        name="Pemutakhiran rencana induk smart city sejak evaluasi sebelumnya",
        description=(
            "Sejauh mana rencana induk ditinjau ulang dan diperbarui berdasarkan hasil evaluasi "
            "sebelumnya dan perubahan kebutuhan daerah."
        ),
        levels=(
            "Rencana induk tidak pernah ditinjau sejak disusun.",
            "Ada rencana untuk meninjau rencana induk, tetapi belum dilakukan.",
            "Rencana induk sudah ditinjau secara internal oleh Diskominfo; hasilnya belum "
            "disahkan.",
            "Rencana induk sudah diperbarui dan disahkan kepala daerah, mencakup keenam dimensi.",
            "Pembaruan rencana induk memakai data capaian program serta masukan OPD dan "
            "pemangku kepentingan, dan diselaraskan dengan RPJMD/RKPD.",
            "Rencana induk ditinjau berkala (setidaknya tahunan) dengan mekanisme baku; "
            "setiap perubahan terdokumentasi dan dipublikasikan kepada warga.",
        ),
    ),
    IndicatorSpec(
        code="BL-02",
        component="baseline",
        name="Tindak lanjut rekomendasi evaluasi sebelumnya",
        description=(
            "Rekomendasi tim penilai pada putaran evaluasi sebelumnya yang telah "
            "ditindaklanjuti, dengan bukti dukung."
        ),
        levels=(
            "Rekomendasi evaluasi sebelumnya tidak diketahui atau tidak ditindaklanjuti.",
            "Rekomendasi sudah diinventarisasi, tetapi belum ada rencana tindak lanjut.",
            "Ada rencana tindak lanjut; kurang dari separuh rekomendasi sudah dikerjakan.",
            "Sebagian besar rekomendasi sudah ditindaklanjuti dengan bukti dukung.",
            "Seluruh rekomendasi ditindaklanjuti dan kemajuannya dipantau dewan atau tim "
            "smart city secara berkala.",
            "Seluruh rekomendasi tuntas dengan hasil terukur; perbaikan dilembagakan dalam "
            "siklus perencanaan daerah.",
        ),
    ),
    IndicatorSpec(
        code="BL-03",
        component="baseline",
        name="Kenaikan porsi program rencana induk yang berjalan",
        description=(
            "Perubahan porsi program rencana induk yang sudah dilaksanakan dibanding evaluasi "
            "sebelumnya."
        ),
        levels=(
            "Tidak ada program baru yang berjalan sejak evaluasi sebelumnya, atau porsinya "
            "menurun.",
            "Porsi program yang berjalan tetap; program baru sedang disiapkan.",
            "Porsi program yang berjalan naik kurang dari 10 poin persentase.",
            "Porsi program yang berjalan naik 10–20 poin persentase.",
            "Porsi program yang berjalan naik lebih dari 20 poin persentase dan mencakup "
            "keenam dimensi.",
            "Hampir seluruh program rencana induk berjalan (90% atau lebih), dan kenaikannya "
            "tersebar merata di keenam dimensi.",
        ),
    ),
    IndicatorSpec(
        code="BL-04",
        component="baseline",
        name="Perkembangan quick win sejak evaluasi sebelumnya",
        description=(
            "Nasib quick win yang dinilai pada putaran sebelumnya: diteruskan, diperluas, atau "
            "diganti dengan yang lebih berdampak."
        ),
        levels=(
            "Quick win sebelumnya berhenti dan tidak ada penggantinya.",
            "Quick win sebelumnya masih ada, tetapi tidak berkembang dan penggunaannya menurun.",
            "Quick win sebelumnya dipertahankan dengan penggunaan yang stabil.",
            "Quick win sebelumnya diperluas cakupan layanan atau penggunanya.",
            "Quick win sebelumnya diperluas dan ditambah quick win baru dengan sasaran terukur.",
            "Quick win sebelumnya sudah menjadi layanan rutin yang didanai APBD, dan quick win "
            "baru menunjukkan dampak awal.",
        ),
    ),
)

OUTPUT: tuple[IndicatorSpec, ...] = (
    IndicatorSpec(
        code="OP-01",
        component="output",
        name="Regulasi kepala daerah tentang smart city",
        description=(
            "Dasar hukum pelaksanaan smart city: peraturan kepala daerah tentang rencana induk "
            "dan tata kelolanya."
        ),
        levels=(
            "Belum ada regulasi apa pun tentang smart city.",
            "Rancangan regulasi sedang disusun.",
            "Ada keputusan kepala daerah tentang smart city, tetapi belum mengatur rencana induk.",
            "Rencana induk ditetapkan dengan peraturan kepala daerah (Perbup/Perwal).",
            "Rencana induk ditetapkan dan diikuti regulasi turunan (mis. SPBE, Satu Data, "
            "keamanan informasi).",
            "Kerangka regulasi lengkap, selaras dengan RPJMD, ditinjau berkala, dan dirujuk "
            "oleh daerah lain.",
        ),
    ),
    IndicatorSpec(
        code="OP-02",
        component="output",
        name="Kelembagaan dewan dan tim pelaksana smart city",
        description="Dewan smart city, tim pelaksana dan sekretariat yang ditetapkan dan bekerja.",
        levels=(
            "Tidak ada dewan maupun tim pelaksana smart city.",
            "Tim ad hoc dibentuk tanpa penetapan resmi.",
            "Dewan dan tim pelaksana ditetapkan dengan surat keputusan, tetapi belum bekerja.",
            "Dewan dan tim pelaksana bekerja dengan rapat berkala dan notulen.",
            "Tim pelaksana melibatkan semua OPD terkait dan unsur pentahelix (akademisi, "
            "pelaku usaha, komunitas, media) dengan pembagian tugas yang jelas.",
            "Kelembagaan bekerja dengan target kinerja, memutus persoalan lintas OPD, dan "
            "mempublikasikan laporan tahunan.",
        ),
    ),
    IndicatorSpec(
        code="OP-03",
        component="output",
        name="Dukungan anggaran untuk program smart city",
        description="Alokasi APBD dan sumber pembiayaan lain untuk program rencana induk.",
        levels=(
            "Tidak ada anggaran yang ditandai untuk program smart city.",
            "Anggaran hanya untuk penyusunan dokumen atau sosialisasi.",
            "Anggaran tersedia untuk sebagian kecil program, tersebar tanpa penandaan.",
            "Program rencana induk ditandai dalam APBD dan mendapat anggaran sesuai rencana "
            "tahunan.",
            "Anggaran mencakup keenam dimensi, realisasinya dipantau, dan ada sumber di luar "
            "APBD (KPBU, CSR, hibah).",
            "Penganggaran berbasis kinerja: alokasi tahun berikutnya ditentukan oleh capaian "
            "program, dengan skema pembiayaan berkelanjutan.",
        ),
    ),
    IndicatorSpec(
        code="OP-04",
        component="output",
        name="Kapasitas sumber daya manusia",
        description="Ketersediaan dan kompetensi ASN pengelola TIK dan program smart city.",
        levels=(
            "Tidak ada ASN yang ditugaskan khusus mengelola TIK atau smart city.",
            "Ada petugas TIK, tetapi tanpa pengembangan kompetensi.",
            "Pelatihan diadakan sesekali untuk pengelola TIK di Diskominfo.",
            "Ada rencana pengembangan kompetensi dan pelatihan rutin bagi pengelola TIK di OPD "
            "utama.",
            "Setiap OPD memiliki pengelola TIK bersertifikat; kebutuhan talenta digital dipetakan.",
            "Manajemen talenta digital berjalan (rekrutmen, sertifikasi, rotasi), dan ASN "
            "daerah menjadi narasumber bagi daerah lain.",
        ),
    ),
    IndicatorSpec(
        code="OP-05",
        component="output",
        name="Infrastruktur TIK dan konektivitas",
        description=(
            "Jaringan intra-pemerintah, pusat data atau layanan cloud, dan akses internet publik."
        ),
        levels=(
            "Belum ada jaringan antar-OPD; setiap OPD mengurus koneksinya sendiri.",
            "Sebagian OPD terhubung; server tersebar tanpa pengelolaan terpusat.",
            "Jaringan intra-pemerintah menghubungkan sebagian besar OPD; ada ruang server bersama.",
            "Seluruh OPD terhubung; pusat data atau cloud pemerintah dipakai bersama dengan "
            "SOP pengelolaan.",
            "Infrastruktur dipantau (ketersediaan, kapasitas), punya rencana pemulihan "
            "bencana, dan titik internet publik tersedia di setiap kecamatan.",
            "Infrastruktur andal dan aman dengan tingkat layanan terukur, terhubung ke Pusat "
            "Data Nasional, dan internet publik menjangkau desa/kelurahan.",
        ),
    ),
    IndicatorSpec(
        code="OP-06",
        component="output",
        name="Tata kelola data (Satu Data daerah)",
        description=(
            "Walidata, standar data dan portal data yang menjadi dasar program smart city."
        ),
        levels=(
            "Tidak ada pengelolaan data bersama; data tersimpan di masing-masing OPD.",
            "Walidata ditunjuk, tetapi belum ada standar data.",
            "Forum Satu Data dan daftar data tersedia; sebagian data dipublikasikan.",
            "Portal data daerah memuat data prioritas dengan metadata, dimutakhirkan OPD "
            "secara berkala.",
            "Data antar-OPD terhubung melalui interoperabilitas (API) dan dipakai dalam "
            "perencanaan serta dasbor pimpinan.",
            "Data terbuka yang bermutu dipakai warga, peneliti dan pelaku usaha; kebijakan "
            "daerah dirumuskan berbasis data.",
        ),
    ),
    IndicatorSpec(
        code="OP-07",
        component="output",
        name="Keamanan informasi dan pelindungan data pribadi",
        description="Pengamanan sistem elektronik dan data warga yang dikelola program smart city.",
        levels=(
            "Belum ada kebijakan keamanan informasi.",
            "Pengamanan dilakukan sendiri-sendiri oleh pengelola aplikasi.",
            "Kebijakan keamanan informasi ada dan tim tanggap insiden (CSIRT) ditetapkan.",
            "Penilaian risiko dan uji kerentanan dilakukan untuk aplikasi utama; insiden "
            "dicatat dan ditangani.",
            "Keamanan informasi dikelola sesuai standar (mis. SNI ISO/IEC 27001), dan "
            "pelindungan data pribadi diterapkan pada layanan yang memuat data warga.",
            "Keamanan informasi dan pelindungan data diaudit berkala oleh pihak independen, "
            "dan temuannya ditindaklanjuti.",
        ),
    ),
    IndicatorSpec(
        code="OP-08",
        component="output",
        name="Kemitraan dan kolaborasi pentahelix",
        description=(
            "Kerja sama dengan akademisi, pelaku usaha, komunitas dan media untuk melaksanakan "
            "rencana induk."
        ),
        levels=(
            "Tidak ada kerja sama dengan pihak di luar pemerintah.",
            "Kerja sama sesekali tanpa perjanjian.",
            "Ada nota kesepahaman dengan satu atau dua mitra.",
            "Kemitraan berjalan dengan perjanjian kerja sama dan kegiatan nyata di beberapa "
            "dimensi.",
            "Kemitraan mencakup kelima unsur pentahelix, dan mitra ikut membiayai atau "
            "menjalankan program.",
            "Ekosistem kolaborasi melembaga (mis. living lab, inkubator) dan menghasilkan "
            "program bersama yang berkelanjutan.",
        ),
    ),
)

QUICK_WIN: tuple[IndicatorSpec, ...] = (
    IndicatorSpec(
        code="QW-01",
        component="quick_win",
        name="Kebaruan dan kreativitas quick win",
        description="Tingkat kebaruan solusi quick win dibanding praktik sebelumnya di daerah.",
        levels=(
            "Tidak ada quick win.",
            "Quick win meniru layanan yang sudah ada tanpa penyesuaian.",
            "Quick win mengadaptasi praktik daerah lain dengan sedikit penyesuaian lokal.",
            "Quick win menjawab masalah lokal yang jelas dengan cara yang baru bagi daerah.",
            "Quick win memadukan data atau layanan beberapa OPD dengan pendekatan kreatif.",
            "Quick win orisinal, belum ada di daerah lain, dan diakui melalui penghargaan atau "
            "publikasi.",
        ),
    ),
    IndicatorSpec(
        code="QW-02",
        component="quick_win",
        name="Kecepatan dan kejelasan dampak quick win",
        description=(
            "Seberapa cepat quick win memberi hasil yang terlihat oleh warga (sasaran 1–2 tahun)."
        ),
        levels=(
            "Tidak ada hasil yang terlihat.",
            "Quick win baru diluncurkan; hasil belum terlihat.",
            "Hasil terlihat terbatas pada lokasi atau kelompok uji coba.",
            "Hasil terlihat oleh sasaran utama dalam satu tahun, dengan data pengguna.",
            "Hasil terukur terhadap target yang ditetapkan sejak awal.",
            "Hasil melampaui target dan menjadi dasar perluasan program.",
        ),
    ),
    IndicatorSpec(
        code="QW-03",
        component="quick_win",
        name="Keberlanjutan quick win",
        description=(
            "Jaminan quick win tetap berjalan: anggaran, pengelola, dasar hukum dan pemeliharaan."
        ),
        levels=(
            "Quick win sudah berhenti.",
            "Quick win bergantung pada satu orang atau kegiatan tahunan tanpa kepastian.",
            "Ada OPD pengelola, tetapi anggaran pemeliharaan belum tersedia.",
            "Ada OPD pengelola, anggaran rutin dan SOP.",
            "Quick win berdasar regulasi kepala daerah dan masuk rencana kerja OPD.",
            "Quick win sudah menjadi layanan rutin daerah dengan pembiayaan berkelanjutan dan "
            "rencana pengembangan.",
        ),
    ),
    IndicatorSpec(
        code="QW-04",
        component="quick_win",
        name="Kolaborasi dalam quick win",
        description=(
            "Keterlibatan OPD lain dan unsur pentahelix dalam merancang dan menjalankan quick win."
        ),
        levels=(
            "Tidak ada quick win, atau dikerjakan tanpa koordinasi.",
            "Quick win dijalankan oleh satu OPD sendiri.",
            "Satu atau dua OPD lain terlibat secara informal.",
            "Beberapa OPD terlibat dengan pembagian peran yang jelas.",
            "Mitra di luar pemerintah (akademisi, pelaku usaha, komunitas) ikut merancang atau "
            "menjalankan quick win.",
            "Kolaborasi melembaga, dan mitra ikut membiayai atau mengembangkan quick win.",
        ),
    ),
    IndicatorSpec(
        code="QW-05",
        component="quick_win",
        name="Perluasan dan replikasi quick win",
        description="Apakah quick win diperluas ke wilayah, layanan atau daerah lain.",
        levels=(
            "Tidak ada quick win, atau tidak ada rencana perluasan.",
            "Perluasan baru diwacanakan.",
            "Rencana perluasan sudah disusun dengan jadwal.",
            "Quick win diperluas ke wilayah atau layanan lain di dalam daerah.",
            "Quick win dipelajari atau direplikasi oleh daerah lain.",
            "Quick win menjadi rujukan nasional atau diadopsi sebagai layanan bersama.",
        ),
    ),
)
