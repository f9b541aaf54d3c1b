"""English translations of the reference data (shown in English mode; the Indonesian text
stays the method's own). Keyed by code, so a change of Indonesian wording does not silently
detach its translation: ``build_instrument_fixture`` refuses a code without one."""

from __future__ import annotations

# code → (name, description)
DIMENSIONS_EN: dict[str, tuple[str, str]] = {
    "governance": (
        "Smart Governance",
        "Effective, efficient and open government through public services, public policy "
        "and a bureaucracy that keeps improving.",
    ),
    "branding": (
        "Smart Branding",
        "A more competitive region with a stronger image through tourism marketing, "
        "business potential and the city's appearance.",
    ),
    "economy": (
        "Smart Economy",
        "A productive, inclusive regional economy supported by technology.",
    ),
    "living": (
        "Smart Living",
        "A liveable, healthy environment that is easy to get around.",
    ),
    "society": (
        "Smart Society",
        "Digitally skilled, connected residents who keep learning and feel safe.",
    ),
    "environment": (
        "Smart Environment",
        "Environmental management that protects nature, reduces waste and saves energy.",
    ),
}

ELEMENTS_EN: dict[str, tuple[str, str]] = {
    "governance-public-service": (
        "Public service",
        "Easy, fast and affordable services for residents, including digital services and "
        "public service malls.",
    ),
    "governance-public-policy": (
        "Public policy",
        "Policies drafted, carried out and evaluated on the basis of data and residents' "
        "participation.",
    ),
    "governance-bureaucracy": (
        "Bureaucracy management",
        "The regional government's internal management: electronic planning, budgeting, "
        "staffing and oversight.",
    ),
    "branding-tourism": (
        "Tourism branding",
        "Destination identity, promotion and tourist information services.",
    ),
    "branding-business": (
        "Business branding",
        "Promotion of business potential, flagship products and the investment climate.",
    ),
    "branding-city-appearance": (
        "City appearance",
        "Public spaces, wayfinding and the city's visual identity.",
    ),
    "economy-industry": (
        "Industry",
        "Stronger local industry, small businesses (UMKM) and the creative economy.",
    ),
    "economy-welfare": (
        "Welfare",
        "Poverty reduction, employment and social protection based on integrated data.",
    ),
    "economy-transaction": (
        "Financial-transaction ecosystem",
        "Cashless transactions of the regional government and payments by residents and "
        "businesses.",
    ),
    "living-harmony": (
        "Harmony",
        "Decent housing, public spaces and harmony among residents.",
    ),
    "living-health": (
        "Health",
        "Health services connected from community health centres (puskesmas) to referral.",
    ),
    "living-mobility": (
        "Mobility",
        "Public transport, traffic management and logistics.",
    ),
    "society-community": (
        "Community",
        "Empowered resident communities and digital literacy.",
    ),
    "society-education": (
        "Learning ecosystem",
        "Formal education and lifelong learning.",
    ),
    "society-security": (
        "Security",
        "Emergency services, public order and disaster preparedness.",
    ),
    "environment-protection": (
        "Environmental protection",
        "Air and water quality monitoring, green open space and pollution control.",
    ),
    "environment-waste": (
        "Waste management",
        "Reducing, sorting, collecting and processing waste.",
    ),
    "environment-energy": (
        "Energy management",
        "Energy efficiency and renewable energy in public facilities.",
    ),
}

# The default instrument's name and description.
INSTRUMENT_EN: tuple[str, str] = (
    "The portal's default instrument 2024",
    "The default instrument of the Smart City Evaluation Portal: a starting point round "
    "managers can change, not an official Kominfo/Komdigi document. Component weights follow "
    "those once used in the evaluation of Kabupaten Sleman (Baseline 10%, Output 20%, "
    "Outcome 30%, Impact 30%, Quick Win 10%); rating bands follow the SPBE index ranges. "
    "The portal wrote its indicators to cover all five components and the eighteen elements "
    "of the six dimensions, each with maturity level descriptors from 0 (nothing in place) "
    "to 5 (optimal, with proven effect).",
)

# Indonesian band name → English.
RATING_BANDS_EN: dict[str, str] = {
    "Memuaskan": "Excellent",
    "Sangat Baik": "Very good",
    "Baik": "Good",
    "Cukup": "Fair",
    "Kurang": "Poor",
}

_NONE_RUNNING = "No masterplan programme for this element is running yet."
_NARRATIVE_ONLY = "Benefits are only claimed in words, without data."

# Indicator code → (name, description, level descriptors 0 to 5).
INDICATORS_EN: dict[str, tuple[str, str, tuple[str, str, str, str, str, str]]] = {
    "BL-01": (
        "Smart city masterplan updated since the previous evaluation",
        "How far the masterplan was reviewed and updated in the light of the previous "
        "evaluation and the region's changing needs.",
        (
            "The masterplan has never been reviewed since it was written.",
            "A review of the masterplan is planned but has not taken place.",
            "Diskominfo has reviewed the masterplan internally; the result is not yet adopted.",
            "The masterplan has been updated and adopted by the regional head, covering all "
            "six dimensions.",
            "The update uses programme results and input from agencies (OPD) and "
            "stakeholders, and is aligned with the RPJMD/RKPD.",
            "The masterplan is reviewed regularly (at least yearly) through a set procedure; "
            "every change is documented and published to residents.",
        ),
    ),
    "BL-02": (
        "Follow-up of the previous evaluation's recommendations",
        "Recommendations of the previous round's reviewers that have been acted on, with evidence.",
        (
            "The previous recommendations are unknown or were not acted on.",
            "The recommendations have been listed, but there is no follow-up plan.",
            "There is a follow-up plan; fewer than half of the recommendations have been "
            "worked on.",
            "Most recommendations have been acted on, with evidence.",
            "All recommendations are acted on and the smart city council or team tracks "
            "progress regularly.",
            "All recommendations are completed with measurable results; the improvements are "
            "built into the region's planning cycle.",
        ),
    ),
    "BL-03": (
        "Growth in the share of masterplan programmes running",
        "Change in the share of masterplan programmes carried out compared with the previous "
        "evaluation.",
        (
            "No new programme has started since the previous evaluation, or the share fell.",
            "The share of running programmes is unchanged; new programmes are being prepared.",
            "The share of running programmes rose by less than 10 percentage points.",
            "The share of running programmes rose by 10–20 percentage points.",
            "The share of running programmes rose by more than 20 percentage points, across "
            "all six dimensions.",
            "Nearly all masterplan programmes are running (90% or more), with the growth "
            "spread evenly over the six dimensions.",
        ),
    ),
    "BL-04": (
        "Progress of quick wins since the previous evaluation",
        "What became of the quick wins assessed in the previous round: continued, extended, "
        "or replaced by ones with more impact.",
        (
            "The previous quick wins stopped and nothing replaced them.",
            "The previous quick wins still exist, but have not grown and their use is falling.",
            "The previous quick wins are kept up with steady use.",
            "The previous quick wins were extended to more services or users.",
            "The previous quick wins were extended and new quick wins with measurable targets "
            "were added.",
            "The previous quick wins have become routine services funded by the regional "
            "budget (APBD), and new quick wins show early impact.",
        ),
    ),
    "OP-01": (
        "Regional head's regulation on the smart city",
        "The legal basis of the smart city: a regional head's regulation on the masterplan "
        "and its governance.",
        (
            "There is no regulation of any kind on the smart city.",
            "A draft regulation is being written.",
            "A regional head's decree on the smart city exists, but it does not cover the "
            "masterplan.",
            "The masterplan is adopted by a regional head's regulation (Perbup/Perwal).",
            "The masterplan is adopted and followed by implementing regulations (e.g. SPBE, "
            "One Data, information security).",
            "The regulatory framework is complete, aligned with the RPJMD, reviewed "
            "regularly, and cited by other regions.",
        ),
    ),
    "OP-02": (
        "Smart city council and implementation team",
        "A smart city council, implementation team and secretariat that are appointed and at work.",
        (
            "There is neither a smart city council nor an implementation team.",
            "An ad hoc team was formed without formal appointment.",
            "The council and team are appointed by decree but are not yet at work.",
            "The council and team work, with regular meetings and minutes.",
            "The team includes every agency concerned and the pentahelix partners (academia, "
            "business, communities, media), with clearly divided tasks.",
            "The institutions work to performance targets, settle cross-agency issues, and "
            "publish an annual report.",
        ),
    ),
    "OP-03": (
        "Budget support for smart city programmes",
        "Regional budget (APBD) allocations and other funding for masterplan programmes.",
        (
            "No budget is earmarked for smart city programmes.",
            "Budget only for writing documents or outreach.",
            "Budget is available for a small part of the programmes, scattered and not earmarked.",
            "Masterplan programmes are tagged in the APBD and funded according to the annual plan.",
            "The budget covers all six dimensions, spending is monitored, and there are "
            "sources beyond the APBD (PPP/KPBU, CSR, grants).",
            "Performance-based budgeting: next year's allocation follows programme results, "
            "with sustainable funding schemes.",
        ),
    ),
    "OP-04": (
        "Human resource capacity",
        "Availability and skills of civil servants (ASN) who run ICT and smart city programmes.",
        (
            "No civil servant is assigned specifically to ICT or the smart city.",
            "There are ICT staff, but no skills development.",
            "Diskominfo's ICT staff are trained now and then.",
            "There is a skills development plan and regular training for ICT staff in the main "
            "agencies.",
            "Every agency has certified ICT staff; the need for digital talent is mapped.",
            "Digital talent management is in place (recruitment, certification, rotation), "
            "and the region's civil servants teach other regions.",
        ),
    ),
    "OP-05": (
        "ICT infrastructure and connectivity",
        "The government intranet, a data centre or cloud services, and public internet access.",
        (
            "There is no network between agencies; each agency handles its own connection.",
            "Some agencies are connected; servers are scattered with no central management.",
            "The government intranet connects most agencies; there is a shared server room.",
            "All agencies are connected; a government data centre or cloud is shared under "
            "operating procedures.",
            "The infrastructure is monitored (availability, capacity), has a disaster "
            "recovery plan, and public internet access points exist in every district.",
            "Reliable, secure infrastructure with measured service levels, connected to the "
            "National Data Centre, and public internet reaches every village.",
        ),
    ),
    "OP-06": (
        "Data governance (regional One Data)",
        "Data stewards, data standards and a data portal underpinning smart city programmes.",
        (
            "There is no shared data management; data stays in each agency.",
            "A data steward is appointed, but there are no data standards.",
            "A One Data forum and a data list exist; some data is published.",
            "The regional data portal holds priority data with metadata, updated by the "
            "agencies regularly.",
            "Data is exchanged between agencies through interoperability (APIs) and used in "
            "planning and leadership dashboards.",
            "Good-quality open data is used by residents, researchers and businesses; "
            "regional policy is made on the basis of data.",
        ),
    ),
    "OP-07": (
        "Information security and personal data protection",
        "Protection of the electronic systems and residents' data that smart city programmes "
        "handle.",
        (
            "There is no information security policy yet.",
            "Each application's team secures it on its own.",
            "An information security policy exists and an incident response team (CSIRT) is "
            "appointed.",
            "Risk assessments and vulnerability tests are done for the main applications; "
            "incidents are recorded and handled.",
            "Information security is managed to a standard (e.g. SNI ISO/IEC 27001), and "
            "personal data protection is applied to services holding residents' data.",
            "Information security and data protection are audited regularly by an "
            "independent party, and the findings are acted on.",
        ),
    ),
    "OP-08": (
        "Pentahelix partnership and collaboration",
        "Cooperation with academia, business, communities and the media to carry out the "
        "masterplan.",
        (
            "There is no cooperation with anyone outside government.",
            "Occasional cooperation without agreements.",
            "There is a memorandum of understanding with one or two partners.",
            "Partnerships run under cooperation agreements with real activities in several "
            "dimensions.",
            "Partnerships include all five pentahelix partners, and partners help fund or "
            "run programmes.",
            "An established collaboration ecosystem (e.g. a living lab, an incubator) "
            "produces lasting joint programmes.",
        ),
    ),
    "OC-01": (
        "Integrated, digital public services",
        "Public service programmes in practice: a public service mall, online licensing and "
        "digital civil registration services.",
        (
            _NONE_RUNNING,
            "Services are still manual; digitisation is only planned.",
            "Some services are online for information only (requirements, downloadable forms).",
            "The main services (licensing, civil registration) can be requested online, and a "
            "public service mall is open.",
            "Online services are connected across agencies, requests can be tracked, and "
            "service standards are published.",
            "Integrated services from request to result without needless face-to-face visits, "
            "connected to national services and evaluated by regular satisfaction surveys.",
        ),
    ),
    "OC-02": (
        "Data-based, participatory public policy",
        "Programmes that bring data and residents into policy-making: channels for residents' "
        "views, electronic planning consultations (musrenbang), leadership data dashboards.",
        (
            _NONE_RUNNING,
            "There is a complaints channel, but it does not feed into policy-making.",
            "Planning consultations or public consultations use electronic means at some stages.",
            "An integrated channel for views and complaints (e.g. SP4N-LAPOR!) is followed up "
            "by the agencies within set times.",
            "Major policies are backed by data analysis and dashboards; the results of public "
            "consultations are documented.",
            "An open policy cycle: data, drafts and evaluations of policies are published, "
            "and residents' input is shown to change policy.",
        ),
    ),
    "OC-03": (
        "Electronic bureaucracy",
        "Internal governance programmes: electronic planning and budgeting, electronic "
        "official correspondence, civil service management and oversight.",
        (
            _NONE_RUNNING,
            "A small part of internal processes uses stand-alone applications.",
            "Planning, budgeting or staffing use applications, but they are not connected.",
            "Electronic official correspondence and electronic signatures are used in every "
            "agency.",
            "Planning, budgeting, staffing and performance applications are connected "
            "according to the region's SPBE architecture.",
            "All internal business processes are electronic and connected; the "
            "bureaucracy's performance is monitored live for decision-making.",
        ),
    ),
    "OC-04": (
        "Digital tourism marketing and services",
        "Tourism branding programmes: destination identity, an events calendar, digital "
        "tourist information and booking.",
        (
            _NONE_RUNNING,
            "Tourism is promoted now and then without a regional brand identity.",
            "The region has a tourism logo and slogan; promotion runs on social media.",
            "A tourism portal or app lists destinations, events and accommodation, and is kept "
            "up to date.",
            "Tourist information is connected to booking or electronic tickets, and visitor "
            "data is monitored.",
            "The destination brand is widely known; visitor data is used to steer promotion "
            "and destination capacity.",
        ),
    ),
    "OC-05": (
        "Business promotion and investment climate",
        "Programmes promoting business and investment potential: an investment profile, "
        "marketing of flagship products and support for small businesses (UMKM).",
        (
            _NONE_RUNNING,
            "Information on investment potential is only available in printed documents.",
            "A profile of investment potential and flagship products is online.",
            "An online investment information service and digital marketing of small "
            "businesses' products are running.",
            "Data-based promotion of investment and small businesses (opportunity maps, "
            "product catalogues) with regular support.",
            "The region's product brands and business areas are widely known, backed by joint "
            "promotion with businesses.",
        ),
    ),
    "OC-06": (
        "City appearance",
        "Programmes for public spaces, wayfinding and visual identity: parks, footpaths, "
        "signposts, creative spaces.",
        (
            _NONE_RUNNING,
            "Improvements happen sporadically, without a plan.",
            "An area improvement plan exists; work on one area has started.",
            "Several areas are improved according to plan, with uniform signposting and "
            "public information.",
            "Improvements cover the main areas and include digital facilities (public wifi, "
            "information boards, QR information codes).",
            "The city's appearance is an identity of the region, maintained over time with "
            "the communities.",
        ),
    ),
    "OC-07": (
        "Industry and small business development",
        "Programmes strengthening local industry, small businesses (UMKM) and the creative "
        "economy with the help of technology.",
        (
            _NONE_RUNNING,
            "Small businesses are being registered.",
            "Digital training for some small businesses is running.",
            "Small businesses are in the regional database and get support and access to "
            "online markets.",
            "The industrial ecosystem has shared facilities (creative houses, incubators), "
            "and business performance is monitored with data.",
            "Local industry grows measurably (turnover, exports, jobs) through partnerships "
            "with large industry and universities.",
        ),
    ),
    "OC-08": (
        "Data-based welfare and social protection",
        "Programmes for poverty reduction, employment and social assistance based on "
        "integrated data.",
        (
            _NONE_RUNNING,
            "Each agency keeps its own data on aid recipients.",
            "The integrated social welfare data is updated but not yet shared across programmes.",
            "Aid and employment services use integrated data keyed on the national identity "
            "number (NIK).",
            "Cross-agency programmes use one target dataset, and targeting accuracy is monitored.",
            "Welfare policy is driven by data and impact evaluation; residents can check "
            "their data and propose corrections.",
        ),
    ),
    "OC-09": (
        "Digital financial-transaction ecosystem",
        "Programmes making regional government transactions electronic, and cashless "
        "payment for residents and businesses.",
        (
            _NONE_RUNNING,
            "A small part of payments can be made through a bank.",
            "The main taxes and levies can be paid cashless.",
            "Most regional revenue and spending is cashless (e.g. QRIS, virtual accounts), "
            "steered by the regional digitalisation acceleration team.",
            "Cashless transactions reach markets, transport and small businesses, and the "
            "data is monitored.",
            "A complete, inclusive digital transaction ecosystem, including for residents "
            "without a bank account.",
        ),
    ),
    "OC-10": (
        "Decent housing and public space",
        "Programmes for decent housing, public space, slum upgrading and harmony among residents.",
        (
            _NONE_RUNNING,
            "Slum areas and the need for public space have only just been mapped.",
            "Housing improvements are under way in a few places.",
            "Housing and public space programmes run according to plan, with up-to-date "
            "location data.",
            "Integrated area upgrading with basic services (clean water, sanitation), "
            "monitored through an information system.",
            "Orderly settlements and public spaces in active use; measures of housing "
            "adequacy rise measurably.",
        ),
    ),
    "OC-11": (
        "Connected health services",
        "Digital health programmes: electronic medical records, online registration and "
        "integrated emergency services.",
        (
            _NONE_RUNNING,
            "Community health centres and the regional hospital each use their own applications.",
            "Online registration is available at some health facilities.",
            "Electronic medical records and online registration run at the regional hospital "
            "and most community health centres.",
            "Health service data is connected (including with SATUSEHAT), and an integrated "
            "emergency service operates.",
            "Services are connected from community health centres to referral; the data is "
            "used for disease surveillance and prevention.",
        ),
    ),
    "OC-12": (
        "Mobility and transport",
        "Programmes for public transport, traffic management and logistics.",
        (
            _NONE_RUNNING,
            "Traffic and public transport data are collected by hand.",
            "Some junctions have controlled traffic lights or monitoring cameras.",
            "A traffic control centre (ATCS) operates, and public transport information is "
            "available to residents.",
            "Integrated public transport (routes, timetables, payment), and traffic data is "
            "used for traffic engineering.",
            "An integrated mobility system measurably cuts travel times and accidents.",
        ),
    ),
    "OC-13": (
        "Community empowerment and digital literacy",
        "Programmes involving resident communities: digital literacy, ICT volunteers, "
        "creative spaces.",
        (
            _NONE_RUNNING,
            "Community activities happen now and then without programme support.",
            "Digital literacy runs in some districts.",
            "Digital literacy and community activities run regularly with ICT volunteers or "
            "community organisers.",
            "Communities help design and run smart city programmes, supported by creative "
            "spaces or community centres.",
            "Self-reliant communities produce initiatives the regional government adopts.",
        ),
    ),
    "OC-14": (
        "Learning ecosystem",
        "Programmes for education and lifelong learning: digital schools and libraries, "
        "skills courses.",
        (
            _NONE_RUNNING,
            "School ICT facilities are limited and not recorded.",
            "Some schools have internet access and digital learning facilities.",
            "Online school admissions, a digital library and teacher training are running.",
            "Education data is connected and used to even out quality; skills courses are "
            "open to residents.",
            "A lifelong learning ecosystem has formed with industry and universities; "
            "learning outcomes rise measurably.",
        ),
    ),
    "OC-15": (
        "Security, public order and preparedness",
        "Programmes for residents' safety: an integrated emergency service (112), "
        "monitoring cameras, disaster early warning.",
        (
            _NONE_RUNNING,
            "Emergencies are still reported to each agency's own phone number.",
            "Monitoring cameras are installed at some points without central monitoring.",
            "The 112 emergency service or an integrated call centre operates and is "
            "connected to the agencies concerned.",
            "A command centre monitors cameras, emergency reports and disaster early "
            "warnings, with handling procedures.",
            "Emergency response times are measured and reviewed regularly; residents take "
            "part in preparedness.",
        ),
    ),
    "OC-16": (
        "Environmental protection",
        "Programmes for air and water quality monitoring, green open space and pollution control.",
        (
            _NONE_RUNNING,
            "Environmental quality is monitored by hand, now and then.",
            "Regular monitoring at a few points; the data is not published yet.",
            "Air and water quality are monitored regularly and published; a green open "
            "space programme is running.",
            "Automatic monitoring (sensors) is connected to the data centre, and pollution "
            "follow-up is documented.",
            "Environmental quality improves measurably, and the data is used in permits and "
            "spatial planning.",
        ),
    ),
    "OC-17": (
        "Waste management",
        "Programmes to reduce and handle waste: waste banks, scheduled collection, "
        "treatment at source.",
        (
            _NONE_RUNNING,
            "Waste is collected without recording volumes.",
            "Waste banks run in some areas; waste volumes are starting to be recorded.",
            "Collection is scheduled and monitored; waste banks and sorting run in most districts.",
            "An information system tracks waste generation, collection and recycling, and "
            "residents can report problems.",
            "Waste sent to landfill falls measurably; a circular economy involves residents "
            "and businesses.",
        ),
    ),
    "OC-18": (
        "Energy management",
        "Programmes for energy efficiency and renewable energy: energy-saving street "
        "lighting, solar panels on government buildings.",
        (
            _NONE_RUNNING,
            "Energy use of government buildings is not recorded.",
            "Energy-saving lamps are installed in some street lighting or buildings.",
            "Energy use of government buildings is recorded, and an efficiency programme runs "
            "with targets.",
            "Renewable energy is installed at public facilities, and street lighting is "
            "monitored and controlled remotely.",
            "Energy use falls measurably and the share of renewable energy rises in line with "
            "the region's targets.",
        ),
    ),
    "IM-01": (
        "Benefits of governance for residents",
        "Changes residents feel from Smart Governance programmes: time and cost of services, "
        "satisfaction, and follow-up of complaints.",
        (
            "There is no data on the programmes' benefits for residents.",
            _NARRATIVE_ONLY,
            "There is output data (number of services, users), but nothing to compare with.",
            "There is data showing better services (e.g. shorter processing times) than "
            "before the programme.",
            "Public satisfaction surveys show a rise, and complaints are followed up within "
            "set times.",
            "Service performance and satisfaction have risen several years in a row and are "
            "recognised by outside parties.",
        ),
    ),
    "IM-02": (
        "Benefits of branding for the region",
        "Changes in tourist visits, investment and the region's image linked to Smart "
        "Branding programmes.",
        (
            "There is no data on tourist visits or investment.",
            _NARRATIVE_ONLY,
            "Data on tourist visits or investment exists, without comparison with before the "
            "programme.",
            "Tourist visits or investment value rose compared with before the programme.",
            "The rise in visits, length of stay or investment is measured and can be linked "
            "to the branding programme.",
            "The rise has continued for several years and raises the income of residents and "
            "local businesses.",
        ),
    ),
    "IM-03": (
        "Economic benefits for residents",
        "Changes in income, jobs, active small businesses and financial inclusion linked to "
        "Smart Economy programmes.",
        (
            "There is no data on the programmes' economic benefits.",
            _NARRATIVE_ONLY,
            "There is data on participants or beneficiaries, without a measure of change.",
            "There is data on higher small-business turnover, cashless transactions or jobs "
            "created by the programmes.",
            "The economic impact on target groups is measured, and aid reaches its targets "
            "more accurately.",
            "Regional indicators (poverty, unemployment, financial inclusion) improve, and "
            "part of the improvement can be linked to the programmes.",
        ),
    ),
    "IM-04": (
        "Benefits for residents' quality of life",
        "Changes in access to health care, travel times and housing adequacy that residents "
        "feel from Smart Living programmes.",
        (
            "There is no data on the programmes' benefits for residents' quality of life.",
            _NARRATIVE_ONLY,
            "There is data on service use (visits, passengers), without comparison.",
            "There is a measured improvement in one area (e.g. waiting times for health care "
            "or travel times).",
            "Measured improvements in health, mobility and housing, confirmed by a residents' "
            "survey.",
            "Quality-of-life indicators (e.g. traffic accidents, slum area, health service "
            "coverage) keep improving.",
        ),
    ),
    "IM-05": (
        "Social benefits for residents",
        "Changes in digital literacy, community participation, access to learning and "
        "feeling safe from Smart Society programmes.",
        (
            "There is no data on the programmes' social benefits.",
            _NARRATIVE_ONLY,
            "There is data on participants in activities, without a measure of change.",
            "There is a measured improvement in one area (e.g. digital literacy or emergency "
            "response times).",
            "Measured improvements in several areas, confirmed by a residents' survey or the "
            "agencies' data.",
            "Residents' participation and sense of safety keep rising; communities run "
            "programmes on their own.",
        ),
    ),
    "IM-06": (
        "Benefits for the environment",
        "Changes in air and water quality, waste handled and energy saved from Smart "
        "Environment programmes.",
        (
            "There is no data on the programmes' environmental benefits.",
            _NARRATIVE_ONLY,
            "There is activity data (number of waste banks, lamps replaced), without a "
            "measure of results.",
            "There is a measured improvement in one area (e.g. waste handled or energy saved).",
            "Measured improvements in several areas, reported to the public regularly.",
            "Environmental indicators keep improving and guide the region's policy.",
        ),
    ),
    "IM-07": (
        "Residents' use of and satisfaction with smart city services",
        "How widely residents use the region's digital services and how they rate them.",
        (
            "There is no data on users or residents' satisfaction.",
            "User data exists for a small part of the applications.",
            "The number of active users of every main service is recorded.",
            "A satisfaction survey on digital services is carried out and its results published.",
            "Use and satisfaction rose since the previous evaluation; residents' feedback is "
            "acted on.",
            "Most target residents use the digital services, with steadily high satisfaction.",
        ),
    ),
    "IM-08": (
        "Inclusive benefits",
        "Whether the programmes' benefits reach vulnerable groups: people with disabilities, "
        "older people, low-income residents and remote areas.",
        (
            "The needs of vulnerable groups are not considered.",
            "The needs of vulnerable groups are mentioned in documents, without a programme.",
            "Assisted service (e.g. a help desk) is available to vulnerable groups for some "
            "services.",
            "The main services meet basic accessibility standards and reach remote areas.",
            "Use by vulnerable groups is monitored with disaggregated data.",
            "The gap in use between vulnerable groups and other residents narrows measurably.",
        ),
    ),
    "QW-01": (
        "Novelty and creativity of quick wins",
        "How new the quick win's solution is compared with earlier practice in the region.",
        (
            "There is no quick win.",
            "The quick win copies an existing service without adaptation.",
            "The quick win adapts another region's practice with little local adjustment.",
            "The quick win answers a clear local problem in a way that is new to the region.",
            "The quick win combines data or services of several agencies in a creative way.",
            "The quick win is original, not found in other regions, and recognised by an "
            "award or publication.",
        ),
    ),
    "QW-02": (
        "Speed and clarity of the quick win's impact",
        "How fast the quick win gives results residents can see (target: 1–2 years).",
        (
            "No visible results.",
            "The quick win has just been launched; no results are visible yet.",
            "Results are visible only at pilot sites or in pilot groups.",
            "The main target group sees results within a year, with user data.",
            "Results are measured against targets set at the start.",
            "Results exceed the targets and form the basis for extending the programme.",
        ),
    ),
    "QW-03": (
        "Sustainability of quick wins",
        "What keeps the quick win running: budget, an owner, a legal basis and maintenance.",
        (
            "The quick win has stopped.",
            "The quick win depends on one person or a yearly activity with no certainty.",
            "An agency owns it, but there is no maintenance budget yet.",
            "An agency owns it, with a routine budget and operating procedures.",
            "The quick win rests on a regional head's regulation and is in the agency's work plan.",
            "The quick win has become a routine regional service with sustainable funding and "
            "a development plan.",
        ),
    ),
    "QW-04": (
        "Collaboration in quick wins",
        "Involvement of other agencies and pentahelix partners in designing and running the "
        "quick win.",
        (
            "There is no quick win, or it is run without coordination.",
            "One agency runs the quick win on its own.",
            "One or two other agencies take part informally.",
            "Several agencies take part with clearly divided roles.",
            "Partners outside government (academia, business, communities) help design or "
            "run the quick win.",
            "The collaboration is established, and partners help fund or develop the quick win.",
        ),
    ),
    "QW-05": (
        "Extension and replication of quick wins",
        "Whether the quick win is extended to other areas, services or regions.",
        (
            "There is no quick win, or no plan to extend it.",
            "Extension is only being talked about.",
            "An extension plan with a schedule has been written.",
            "The quick win was extended to other areas or services within the region.",
            "Other regions study or replicate the quick win.",
            "The quick win is a national reference or adopted as a shared service.",
        ),
    ),
}
