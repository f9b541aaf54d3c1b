"""Words for the demo dataset: agencies, programmes per dimension, findings."""

from __future__ import annotations

AGENCIES = [
    ("Dinas Komunikasi, Informatika, Statistik dan Persandian", "Diskominfostandi"),
    ("Badan Perencanaan Pembangunan Daerah", "Bappeda"),
    ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP"),
    ("Dinas Kesehatan", "Dinkes"),
    ("Dinas Perhubungan", "Dishub"),
    ("Dinas Pariwisata dan Kebudayaan", "Disparbud"),
    ("Dinas Lingkungan Hidup", "DLH"),
    ("Dinas Pendidikan", "Disdik"),
    ("Dinas Koperasi dan UMKM", "Diskop UMKM"),
    ("Badan Penanggulangan Bencana Daerah", "BPBD"),
]

# dimension code -> list of (title, agency acronym, element index 0..2, quick win)
PROGRAMMES = {
    "governance": [
        ("Mall Pelayanan Publik", "DPMPTSP", 0, True),
        ("Aplikasi perizinan daring terpadu", "DPMPTSP", 0, False),
        ("Satu Data daerah", "Diskominfostandi", 1, False),
        ("E-budgeting dan e-planning", "Bappeda", 2, False),
        ("Command Center kota", "Diskominfostandi", 2, True),
    ],
    "branding": [
        ("Portal pariwisata dan kalender event", "Disparbud", 0, False),
        ("Katalog produk unggulan daerah", "Diskop UMKM", 1, False),
        ("Penataan wajah kota dan ruang publik", "Bappeda", 2, False),
    ],
    "economy": [
        ("Pasar digital UMKM", "Diskop UMKM", 0, True),
        ("Pelatihan wirausaha digital", "Diskop UMKM", 1, False),
        ("Pembayaran retribusi non-tunai (QRIS)", "Diskominfostandi", 2, False),
    ],
    "living": [
        ("Kartu Sehat berbasis NIK", "Dinkes", 1, True),
        ("Sistem antrean puskesmas daring", "Dinkes", 1, False),
        ("Area traffic control system", "Dishub", 2, False),
        ("Informasi angkutan umum waktu nyata", "Dishub", 2, False),
    ],
    "society": [
        ("Unit Reaksi Cepat (aplikasi pengaduan darurat)", "BPBD", 2, True),
        ("Sekolah digital dan ruang belajar daring", "Disdik", 1, False),
        ("Forum komunitas TIK warga", "Diskominfostandi", 0, False),
    ],
    "environment": [
        ("Bank sampah digital", "DLH", 1, False),
        ("Pemantauan kualitas udara", "DLH", 0, False),
        ("Penerangan jalan umum hemat energi", "Dishub", 2, False),
    ],
}

FINDINGS = {
    "governance": (
        "Mall Pelayanan Publik melayani lebih dari 300 jenis layanan dalam satu lokasi.",
        "Integrasi data antar-OPD belum tuntas; sebagian layanan masih meminta berkas fisik.",
        "Tetapkan peraturan kepala daerah tentang Satu Data dan jadwal integrasi layanan.",
    ),
    "branding": (
        "Kalender event daerah terbit daring dan diperbarui setiap bulan.",
        "Identitas merek kota belum dipakai konsisten oleh OPD.",
        "Susun panduan merek kota dan wajibkan pemakaiannya pada kanal resmi.",
    ),
    "economy": (
        "Retribusi pasar dapat dibayar dengan QRIS di seluruh pasar milik daerah.",
        "Pelaku UMKM yang aktif di pasar digital masih sedikit.",
        "Dampingi UMKM dengan pelatihan berkelanjutan dan ukur transaksinya.",
    ),
    "living": (
        "Kartu Sehat berbasis NIK dipakai di seluruh puskesmas dan RSUD.",
        "Data lalu lintas belum dipakai untuk pengaturan lampu secara adaptif.",
        "Hubungkan data ATCS dengan Command Center dan terbitkan dasbor publik.",
    ),
    "society": (
        "Aplikasi Unit Reaksi Cepat menanggapi laporan darurat rata-rata dalam 15 menit.",
        "Literasi digital warga lanjut usia masih rendah.",
        "Libatkan komunitas TIK dalam program literasi digital per kelurahan.",
    ),
    "environment": (
        "Bank sampah digital menjangkau lebih dari 200 RW.",
        "Sensor kualitas udara baru terpasang di dua titik.",
        "Perluas sensor kualitas udara dan buka datanya untuk publik.",
    ),
}
