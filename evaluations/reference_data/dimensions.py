"""The six smart dimensions and their three elements each, in the 2024 wording.

Codes are fixed (they name result columns and URLs); names are Indonesian, and each
description ends with the English gloss.
"""

from __future__ import annotations

from evaluations.reference_data.specs import DimensionSpec, ElementSpec

DIMENSIONS: tuple[DimensionSpec, ...] = (
    DimensionSpec(
        code="governance",
        name="Smart Governance",
        description=(
            "Tata kelola pemerintahan yang efektif, efisien dan terbuka melalui layanan "
            "publik, kebijakan publik dan birokrasi yang terus diperbaiki. "
            "(English: smart governance – public service, public policy and bureaucracy.)"
        ),
        elements=(
            ElementSpec(
                "governance-public-service",
                "Layanan Publik",
                "Layanan kepada warga yang mudah, cepat dan terjangkau, termasuk layanan "
                "digital dan mal pelayanan publik. (English: public service.)",
            ),
            ElementSpec(
                "governance-public-policy",
                "Kebijakan Publik",
                "Perumusan, pelaksanaan dan evaluasi kebijakan berbasis data dan partisipasi "
                "warga. (English: public policy.)",
            ),
            ElementSpec(
                "governance-bureaucracy",
                "Tata Kelola Birokrasi",
                "Manajemen internal pemerintah daerah: perencanaan, penganggaran, kepegawaian "
                "dan pengawasan berbasis elektronik. (English: bureaucracy management.)",
            ),
        ),
    ),
    DimensionSpec(
        code="branding",
        name="Smart Branding",
        description=(
            "Penguatan daya saing dan citra daerah melalui pemasaran pariwisata, potensi "
            "usaha dan penataan wajah kota. "
            "(English: smart branding – tourism, business and city appearance.)"
        ),
        elements=(
            ElementSpec(
                "branding-tourism",
                "Branding Pariwisata",
                "Identitas destinasi, promosi dan layanan informasi wisata. "
                "(English: tourism branding.)",
            ),
            ElementSpec(
                "branding-business",
                "Branding Bisnis",
                "Promosi potensi usaha, produk unggulan dan iklim investasi daerah. "
                "(English: business branding.)",
            ),
            ElementSpec(
                "branding-city-appearance",
                "Wajah Kota",
                "Penataan ruang publik, tata informasi dan identitas visual kota. "
                "(English: city appearance.)",
            ),
        ),
    ),
    DimensionSpec(
        code="economy",
        name="Smart Economy",
        description=(
            "Ekosistem ekonomi daerah yang produktif, inklusif dan didukung teknologi. "
            "(English: smart economy – industry, welfare and financial transactions.)"
        ),
        elements=(
            ElementSpec(
                "economy-industry",
                "Industri",
                "Penguatan industri lokal, UMKM dan ekonomi kreatif. (English: industry.)",
            ),
            ElementSpec(
                "economy-welfare",
                "Kesejahteraan",
                "Penanggulangan kemiskinan, ketenagakerjaan dan perlindungan sosial berbasis "
                "data terpadu. (English: welfare.)",
            ),
            ElementSpec(
                "economy-transaction",
                "Ekosistem Transaksi Keuangan",
                "Transaksi pemerintah daerah dan pembayaran warga serta pelaku usaha secara "
                "non-tunai. (English: financial-transaction ecosystem.)",
            ),
        ),
    ),
    DimensionSpec(
        code="living",
        name="Smart Living",
        description=(
            "Lingkungan tempat tinggal yang layak, sehat dan mudah dijangkau. "
            "(English: smart living – harmony, health and mobility.)"
        ),
        elements=(
            ElementSpec(
                "living-harmony",
                "Harmonisasi",
                "Permukiman layak, ruang publik dan kerukunan warga. "
                "(English: harmony – a liveable environment.)",
            ),
            ElementSpec(
                "living-health",
                "Kesehatan",
                "Layanan kesehatan yang terhubung dari puskesmas sampai rujukan. "
                "(English: health.)",
            ),
            ElementSpec(
                "living-mobility",
                "Mobilitas",
                "Transportasi umum, manajemen lalu lintas dan logistik. "
                "(English: mobility – transport and logistics.)",
            ),
        ),
    ),
    DimensionSpec(
        code="society",
        name="Smart Society",
        description=(
            "Masyarakat yang cakap digital, saling terhubung, terus belajar dan merasa aman. "
            "(English: smart society – community, education and security.)"
        ),
        elements=(
            ElementSpec(
                "society-community",
                "Komunitas",
                "Pemberdayaan komunitas warga dan literasi digital. (English: community.)",
            ),
            ElementSpec(
                "society-education",
                "Ekosistem Belajar",
                "Pendidikan formal dan pembelajaran sepanjang hayat. "
                "(English: education – learning ecosystem.)",
            ),
            ElementSpec(
                "society-security",
                "Keamanan",
                "Layanan darurat, ketertiban dan kesiapsiagaan bencana. (English: security.)",
            ),
        ),
    ),
    DimensionSpec(
        code="environment",
        name="Smart Environment",
        description=(
            "Pengelolaan lingkungan hidup yang menjaga kualitas alam, mengurangi sampah dan "
            "menghemat energi. (English: smart environment – protection, waste and energy.)"
        ),
        elements=(
            ElementSpec(
                "environment-protection",
                "Proteksi Lingkungan",
                "Pemantauan kualitas udara dan air, ruang terbuka hijau dan pengendalian "
                "pencemaran. (English: environmental protection.)",
            ),
            ElementSpec(
                "environment-waste",
                "Tata Kelola Sampah",
                "Pengurangan, pemilahan, pengangkutan dan pengolahan sampah. (English: waste.)",
            ),
            ElementSpec(
                "environment-energy",
                "Tata Kelola Energi",
                "Efisiensi energi dan energi terbarukan di fasilitas publik. (English: energy.)",
            ),
        ),
    ),
)
