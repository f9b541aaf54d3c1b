"""Outcome indicators: how far the masterplan is carried out, one per element (18)."""

from __future__ import annotations

from evaluations.reference_data.specs import IndicatorSpec


def _outcome(
    number: int,
    element: str,
    name: str,
    description: str,
    levels: tuple[str, str, str, str, str, str],
) -> IndicatorSpec:
    # Element codes start with their dimension's code ("living-health" → "living").
    return IndicatorSpec(
        code=f"OC-{number:02d}",
        component="outcome",
        dimension=element.split("-", 1)[0],
        element=element,
        name=name,
        description=description,
        levels=levels,
    )


_NOTHING = "Belum ada program rencana induk untuk elemen ini yang berjalan."

OUTCOME: tuple[IndicatorSpec, ...] = (
    _outcome(
        1,
        "governance-public-service",
        "Layanan publik terpadu dan digital",
        "Pelaksanaan program layanan publik: mal pelayanan publik, perizinan daring dan "
        "layanan administrasi kependudukan digital.",
        (
            _NOTHING,
            "Layanan masih manual; digitalisasi baru direncanakan.",
            "Sebagian layanan tersedia daring secara informasional (persyaratan, formulir "
            "unduhan).",
            "Layanan utama (perizinan, kependudukan) dapat diajukan daring, dan mal pelayanan "
            "publik beroperasi.",
            "Layanan daring terhubung lintas OPD, status permohonan dapat dilacak, dan standar "
            "pelayanan dipublikasikan.",
            "Layanan terpadu dari pengajuan sampai hasil tanpa tatap muka yang tidak perlu, "
            "terhubung dengan layanan nasional dan dievaluasi dengan survei kepuasan rutin.",
        ),
    ),
    _outcome(
        2,
        "governance-public-policy",
        "Kebijakan publik berbasis data dan partisipasi",
        "Program yang melibatkan data dan warga dalam perumusan kebijakan: kanal aspirasi, "
        "musrenbang elektronik, dasbor data pimpinan.",
        (
            _NOTHING,
            "Ada kanal pengaduan, tetapi tidak terhubung dengan perumusan kebijakan.",
            "Musrenbang atau konsultasi publik memakai sarana elektronik pada sebagian tahapan.",
            "Kanal aspirasi dan pengaduan terpadu (mis. SP4N-LAPOR!) ditindaklanjuti OPD dalam "
            "batas waktu.",
            "Kebijakan utama didukung kajian data dan dasbor; hasil konsultasi publik "
            "didokumentasikan.",
            "Siklus kebijakan terbuka: data, rancangan dan evaluasi kebijakan dipublikasikan, "
            "dan masukan warga terbukti mengubah kebijakan.",
        ),
    ),
    _outcome(
        3,
        "governance-bureaucracy",
        "Birokrasi berbasis elektronik",
        "Program tata kelola internal: perencanaan dan penganggaran elektronik, naskah dinas "
        "elektronik, manajemen ASN dan pengawasan.",
        (
            _NOTHING,
            "Sebagian kecil proses internal memakai aplikasi yang berdiri sendiri.",
            "Perencanaan, penganggaran atau kepegawaian memakai aplikasi, tetapi belum terhubung.",
            "Naskah dinas dan tanda tangan elektronik dipakai di seluruh OPD.",
            "Aplikasi perencanaan, penganggaran, kepegawaian dan kinerja terhubung sesuai "
            "arsitektur SPBE daerah.",
            "Seluruh proses bisnis internal elektronik dan terhubung; kinerja birokrasi "
            "dipantau langsung untuk pengambilan keputusan.",
        ),
    ),
    _outcome(
        4,
        "branding-tourism",
        "Pemasaran dan layanan pariwisata digital",
        "Program branding pariwisata: identitas destinasi, kalender acara, informasi dan "
        "pemesanan wisata secara digital.",
        (
            _NOTHING,
            "Promosi wisata dilakukan sesekali tanpa identitas merek daerah.",
            "Daerah memiliki logo dan slogan pariwisata; promosi lewat media sosial.",
            "Portal atau aplikasi wisata memuat destinasi, acara dan akomodasi, dan dikelola "
            "rutin.",
            "Informasi wisata terhubung dengan pemesanan atau tiket elektronik, dan data "
            "kunjungan dipantau.",
            "Merek destinasi dikenal luas; data kunjungan dipakai untuk mengatur promosi dan "
            "daya tampung destinasi.",
        ),
    ),
    _outcome(
        5,
        "branding-business",
        "Promosi usaha dan iklim investasi",
        "Program promosi potensi usaha dan investasi: profil investasi, pemasaran produk "
        "unggulan dan pendampingan UMKM.",
        (
            _NOTHING,
            "Informasi potensi investasi hanya tersedia dalam dokumen cetak.",
            "Profil potensi investasi dan produk unggulan tersedia daring.",
            "Layanan informasi investasi daring dan program pemasaran digital produk UMKM "
            "berjalan.",
            "Promosi investasi dan UMKM berbasis data (peta peluang, katalog produk) dengan "
            "pendampingan rutin.",
            "Merek produk dan kawasan usaha daerah dikenal luas, didukung promosi bersama "
            "pelaku usaha.",
        ),
    ),
    _outcome(
        6,
        "branding-city-appearance",
        "Penataan wajah kota",
        "Program penataan ruang publik, tata informasi dan identitas visual: taman, jalur "
        "pejalan kaki, penanda arah, ruang kreatif.",
        (
            _NOTHING,
            "Penataan dilakukan sporadis tanpa rencana.",
            "Rencana penataan kawasan ada; satu kawasan mulai ditata.",
            "Beberapa kawasan ditata sesuai rencana, dengan penanda arah dan informasi publik "
            "yang seragam.",
            "Penataan mencakup kawasan utama dan dilengkapi fasilitas digital (wifi publik, "
            "papan informasi, kode QR informasi).",
            "Wajah kota tertata sebagai identitas daerah, dirawat berkelanjutan dengan "
            "melibatkan komunitas.",
        ),
    ),
    _outcome(
        7,
        "economy-industry",
        "Pengembangan industri dan UMKM",
        "Program penguatan industri lokal, UMKM dan ekonomi kreatif dengan dukungan teknologi.",
        (
            _NOTHING,
            "Pendataan UMKM sedang dilakukan.",
            "Pelatihan digital bagi sebagian UMKM sudah berjalan.",
            "UMKM terdata dalam basis data daerah dan mendapat pendampingan serta akses pasar "
            "daring.",
            "Ekosistem industri didukung sarana bersama (rumah kreatif, inkubator), dan kinerja "
            "usaha dipantau dengan data.",
            "Industri lokal naik kelas secara terukur (omzet, ekspor, tenaga kerja) melalui "
            "kemitraan dengan industri besar dan perguruan tinggi.",
        ),
    ),
    _outcome(
        8,
        "economy-welfare",
        "Kesejahteraan dan perlindungan sosial berbasis data",
        "Program penanggulangan kemiskinan, ketenagakerjaan dan bantuan sosial berbasis data "
        "terpadu.",
        (
            _NOTHING,
            "Data penerima bantuan dikelola terpisah di setiap OPD.",
            "Data terpadu kesejahteraan sosial dimutakhirkan, tetapi belum dipakai lintas program.",
            "Penyaluran bantuan dan layanan ketenagakerjaan memakai data terpadu berbasis NIK.",
            "Program lintas OPD memakai satu data sasaran, dan ketepatan sasaran dipantau.",
            "Kebijakan kesejahteraan didorong data dan evaluasi dampak; warga dapat memeriksa "
            "dan mengusulkan pembaruan datanya.",
        ),
    ),
    _outcome(
        9,
        "economy-transaction",
        "Ekosistem transaksi keuangan digital",
        "Program elektronifikasi transaksi pemerintah daerah dan pembayaran non-tunai bagi "
        "warga dan pelaku usaha.",
        (
            _NOTHING,
            "Sebagian kecil pembayaran dapat dilakukan melalui bank.",
            "Pajak dan retribusi utama dapat dibayar non-tunai.",
            "Pendapatan dan belanja daerah sebagian besar non-tunai (mis. QRIS, virtual "
            "account), dikawal tim percepatan digitalisasi daerah.",
            "Transaksi non-tunai menjangkau pasar, transportasi dan UMKM, dan datanya dipantau.",
            "Ekosistem transaksi digital menyeluruh dan inklusif, termasuk bagi warga yang "
            "belum terlayani bank.",
        ),
    ),
    _outcome(
        10,
        "living-harmony",
        "Permukiman layak dan ruang publik",
        "Program permukiman layak, ruang publik, penanganan kawasan kumuh dan kerukunan warga.",
        (
            _NOTHING,
            "Kawasan kumuh dan kebutuhan ruang publik baru dipetakan.",
            "Perbaikan permukiman berjalan di sebagian kecil lokasi.",
            "Program permukiman dan ruang publik berjalan sesuai rencana, dengan data lokasi "
            "yang dimutakhirkan.",
            "Penataan kawasan terpadu dengan layanan dasar (air bersih, sanitasi) dan dipantau "
            "melalui sistem informasi.",
            "Permukiman tertata dan ruang publik dipakai aktif warga; ukuran kelayakan hunian "
            "naik secara terukur.",
        ),
    ),
    _outcome(
        11,
        "living-health",
        "Layanan kesehatan terhubung",
        "Program kesehatan digital: rekam medis elektronik, pendaftaran daring dan layanan "
        "gawat darurat terpadu.",
        (
            _NOTHING,
            "Puskesmas dan RSUD memakai aplikasi sendiri-sendiri.",
            "Pendaftaran daring tersedia di sebagian fasilitas kesehatan.",
            "Rekam medis elektronik dan pendaftaran daring berjalan di RSUD dan sebagian "
            "besar puskesmas.",
            "Data layanan kesehatan terhubung (termasuk dengan SATUSEHAT), dan layanan gawat "
            "darurat terpadu beroperasi.",
            "Layanan terhubung dari puskesmas sampai rujukan; data dipakai untuk surveilans "
            "dan pencegahan penyakit.",
        ),
    ),
    _outcome(
        12,
        "living-mobility",
        "Mobilitas dan transportasi",
        "Program angkutan umum, manajemen lalu lintas dan logistik.",
        (
            _NOTHING,
            "Data lalu lintas dan angkutan umum dikumpulkan secara manual.",
            "Sebagian simpang memakai lampu lalu lintas terkendali atau kamera pemantau.",
            "Pusat kendali lalu lintas (ATCS) beroperasi, dan informasi angkutan umum tersedia "
            "bagi warga.",
            "Angkutan umum terpadu (rute, jadwal, pembayaran), dan data lalu lintas dipakai "
            "untuk rekayasa lalu lintas.",
            "Sistem mobilitas terpadu menurunkan waktu tempuh dan kecelakaan secara terukur.",
        ),
    ),
    _outcome(
        13,
        "society-community",
        "Pemberdayaan komunitas dan literasi digital",
        "Program yang melibatkan komunitas warga: literasi digital, relawan TIK, ruang kreatif.",
        (
            _NOTHING,
            "Kegiatan komunitas berlangsung sesekali tanpa dukungan program.",
            "Literasi digital berjalan di sebagian kecamatan.",
            "Literasi digital dan kegiatan komunitas berjalan rutin dengan relawan TIK atau "
            "penggerak komunitas.",
            "Komunitas ikut merancang dan menjalankan program smart city, didukung ruang "
            "kreatif atau pusat komunitas.",
            "Komunitas mandiri menghasilkan inisiatif yang diadopsi pemerintah daerah.",
        ),
    ),
    _outcome(
        14,
        "society-education",
        "Ekosistem belajar",
        "Program pendidikan dan pembelajaran sepanjang hayat: sekolah dan perpustakaan "
        "digital, kursus keterampilan.",
        (
            _NOTHING,
            "Sarana TIK sekolah terbatas dan tidak terdata.",
            "Sebagian sekolah memiliki akses internet dan sarana pembelajaran digital.",
            "Penerimaan murid baru daring, perpustakaan digital dan pelatihan guru berjalan.",
            "Data pendidikan terhubung dan dipakai untuk pemerataan mutu; kursus keterampilan "
            "tersedia bagi warga.",
            "Ekosistem belajar sepanjang hayat terbentuk bersama industri dan perguruan "
            "tinggi; capaian belajar naik secara terukur.",
        ),
    ),
    _outcome(
        15,
        "society-security",
        "Keamanan, ketertiban dan kesiapsiagaan",
        "Program keamanan warga: layanan darurat terpadu (112), kamera pemantau, peringatan "
        "dini bencana.",
        (
            _NOTHING,
            "Laporan darurat masih melalui nomor telepon masing-masing instansi.",
            "Kamera pemantau terpasang di beberapa titik tanpa pemantauan terpusat.",
            "Layanan darurat 112 atau pusat panggilan terpadu beroperasi dan terhubung dengan "
            "instansi terkait.",
            "Pusat komando memantau kamera, laporan darurat dan peringatan dini bencana "
            "dengan SOP penanganan.",
            "Waktu tanggap darurat terukur dan dievaluasi berkala; warga dilibatkan dalam "
            "kesiapsiagaan.",
        ),
    ),
    _outcome(
        16,
        "environment-protection",
        "Perlindungan lingkungan hidup",
        "Program pemantauan kualitas udara dan air, ruang terbuka hijau dan pengendalian "
        "pencemaran.",
        (
            _NOTHING,
            "Kualitas lingkungan dipantau secara manual dan sesekali.",
            "Pemantauan rutin di beberapa titik; datanya belum dipublikasikan.",
            "Kualitas udara dan air dipantau rutin dan dipublikasikan; program ruang terbuka "
            "hijau berjalan.",
            "Pemantauan otomatis (sensor) terhubung ke pusat data, dan tindak lanjut "
            "pencemaran terdokumentasi.",
            "Kualitas lingkungan membaik secara terukur, dan datanya dipakai dalam perizinan "
            "dan perencanaan ruang.",
        ),
    ),
    _outcome(
        17,
        "environment-waste",
        "Pengelolaan sampah",
        "Program pengurangan dan penanganan sampah: bank sampah, pengangkutan terjadwal, "
        "pengolahan di sumber.",
        (
            _NOTHING,
            "Sampah diangkut tanpa pencatatan volume.",
            "Bank sampah berjalan di sebagian wilayah; volume sampah mulai dicatat.",
            "Pengangkutan terjadwal dan terpantau; bank sampah dan pemilahan berjalan di "
            "sebagian besar kecamatan.",
            "Sistem informasi memantau timbulan, pengangkutan dan daur ulang sampah, dan "
            "warga dapat melapor.",
            "Sampah yang dibuang ke TPA turun secara terukur; ekonomi sirkular melibatkan "
            "warga dan pelaku usaha.",
        ),
    ),
    _outcome(
        18,
        "environment-energy",
        "Pengelolaan energi",
        "Program efisiensi energi dan energi terbarukan: penerangan jalan hemat energi, panel "
        "surya di gedung pemerintah.",
        (
            _NOTHING,
            "Pemakaian energi gedung pemerintah belum dicatat.",
            "Lampu hemat energi dipasang di sebagian penerangan jalan atau gedung.",
            "Pemakaian energi gedung pemerintah dicatat, dan program efisiensi berjalan "
            "dengan target.",
            "Energi terbarukan terpasang di fasilitas publik, dan penerangan jalan dipantau "
            "serta dikendalikan jarak jauh.",
            "Pemakaian energi turun secara terukur dan porsi energi terbarukan naik sesuai "
            "target daerah.",
        ),
    ),
)
