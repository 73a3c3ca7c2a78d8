"""Demo organisation for Nidaa: a fictionalised Muscat Municipality contact center.

Everything here is demo content written for this project. Names of directorates,
sections, e-mail addresses (all ending in ``.example``), phone numbers and SLA
targets are illustrative and must be replaced with the real values before any
production use.

Business time: one business day is 7 hours (07:30-14:30), i.e. 420 business
minutes. All SLA minutes below are business minutes.
"""

from typing import TypedDict


class SLAPolicyData(TypedDict):
    code: str
    name_ar: str
    name_en: str
    first_response_minutes: int
    resolution_minutes: int
    reminder_percent: int


class SectionData(TypedDict):
    code: str
    name_ar: str
    name_en: str
    email: str


class DirectorateData(TypedDict):
    code: str
    name_ar: str
    name_en: str
    sections: list[SectionData]


class CategoryData(TypedDict):
    code: str
    name_ar: str
    name_en: str
    section: str
    sla_policy: str
    default_priority: str
    skill: str
    keywords_ar: list[str]
    keywords_en: list[str]


class PartnerData(TypedDict):
    code: str
    name_ar: str
    name_en: str
    sms_number: str
    email: str
    follow_up_ar: str
    follow_up_en: str


class SkillData(TypedDict):
    code: str
    name_ar: str
    name_en: str


class HolidayData(TypedDict):
    date: str  # ISO yyyy-mm-dd
    name_ar: str
    name_en: str


BUSINESS_DAY_MINUTES = 7 * 60  # 07:30-14:30

# ---------------------------------------------------------------------------
# SLA policies (business minutes)
# ---------------------------------------------------------------------------

SLA_POLICIES: list[SLAPolicyData] = [
    {
        "code": "urgent",
        "name_ar": "عاجل - خلال يوم عمل واحد",
        "name_en": "Urgent - within 1 business day",
        "first_response_minutes": 60,
        "resolution_minutes": 1 * BUSINESS_DAY_MINUTES,
        "reminder_percent": 75,
    },
    {
        "code": "standard",
        "name_ar": "عادي - خلال 3 أيام عمل",
        "name_en": "Standard - within 3 business days",
        "first_response_minutes": 240,
        "resolution_minutes": 3 * BUSINESS_DAY_MINUTES,
        "reminder_percent": 80,
    },
    {
        "code": "extended",
        "name_ar": "ممتد - خلال 10 أيام عمل",
        "name_en": "Extended - within 10 business days",
        "first_response_minutes": BUSINESS_DAY_MINUTES,
        "resolution_minutes": 10 * BUSINESS_DAY_MINUTES,
        "reminder_percent": 80,
    },
    {
        "code": "partner",
        "name_ar": "إحالة لجهة شريكة - خلال نصف يوم عمل",
        "name_en": "Partner referral - forwarded within half a business day",
        "first_response_minutes": 30,
        "resolution_minutes": BUSINESS_DAY_MINUTES // 2,
        "reminder_percent": 70,
    },
]

# ---------------------------------------------------------------------------
# Agent skills (used by the distributor to route contacts to agents)
# ---------------------------------------------------------------------------

SKILLS: list[SkillData] = [
    {"code": "general", "name_ar": "البلاغات العامة", "name_en": "General municipal reports"},
    {"code": "building", "name_ar": "البناء والتراخيص", "name_en": "Building and permits"},
    {
        "code": "health",
        "name_ar": "الصحة العامة والرقابة الغذائية",
        "name_en": "Public health and food control",
    },
    {"code": "tourism", "name_ar": "مركز اتصال السياحة", "name_en": "Tourism contact center"},
    {
        "code": "partners",
        "name_ar": "ملاحظات الجهات الشريكة (اتصالات ومياه وحماية المستهلك)",
        "name_en": "Partner remarks (telecom, water, consumer protection)",
    },
]

# ---------------------------------------------------------------------------
# Directorates and sections
# ---------------------------------------------------------------------------

_MAIL = "mm.gov.om.example"

DIRECTORATES: list[DirectorateData] = [
    {
        "code": "roads",
        "name_ar": "المديرية العامة للطرق وتصريف مياه الأمطار",
        "name_en": "Directorate General of Roads and Stormwater Drainage",
        "sections": [
            {
                "code": "roads_maintenance",
                "name_ar": "قسم صيانة الطرق والأرصفة",
                "name_en": "Roads and Pavements Maintenance Section",
                "email": f"roads.maintenance@{_MAIL}",
            },
            {
                "code": "roads_drainage",
                "name_ar": "قسم تصريف مياه الأمطار",
                "name_en": "Stormwater Drainage Section",
                "email": f"roads.drainage@{_MAIL}",
            },
            {
                "code": "roads_traffic",
                "name_ar": "قسم السلامة المرورية واللوحات الإرشادية",
                "name_en": "Traffic Safety and Road Signs Section",
                "email": f"roads.traffic@{_MAIL}",
            },
            {
                "code": "roads_parking",
                "name_ar": "قسم المواقف العامة",
                "name_en": "Public Parking Section",
                "email": f"roads.parking@{_MAIL}",
            },
        ],
    },
    {
        "code": "waste",
        "name_ar": "المديرية العامة للنظافة وإدارة النفايات",
        "name_en": "Directorate General of Cleanliness and Waste Management",
        "sections": [
            {
                "code": "waste_collection",
                "name_ar": "قسم جمع النفايات والحاويات",
                "name_en": "Waste Collection and Containers Section",
                "email": f"waste.collection@{_MAIL}",
            },
            {
                "code": "waste_bulky",
                "name_ar": "قسم نقل المخلفات الكبيرة",
                "name_en": "Bulky Waste Removal Section",
                "email": f"waste.bulky@{_MAIL}",
            },
            {
                "code": "waste_enforcement",
                "name_ar": "قسم الرقابة على النظافة العامة",
                "name_en": "Public Cleanliness Enforcement Section",
                "email": f"waste.enforcement@{_MAIL}",
            },
        ],
    },
    {
        "code": "health",
        "name_ar": "المديرية العامة للصحة العامة والرقابة الغذائية",
        "name_en": "Directorate General of Public Health and Food Control",
        "sections": [
            {
                "code": "health_food_control",
                "name_ar": "قسم الرقابة الغذائية",
                "name_en": "Food Control Section",
                "email": f"health.foodcontrol@{_MAIL}",
            },
            {
                "code": "health_pest_control",
                "name_ar": "قسم مكافحة الحشرات والقوارض",
                "name_en": "Pest and Rodent Control Section",
                "email": f"health.pestcontrol@{_MAIL}",
            },
            {
                "code": "health_veterinary",
                "name_ar": "قسم الشؤون البيطرية والحيوانات السائبة",
                "name_en": "Veterinary Affairs and Stray Animals Section",
                "email": f"health.veterinary@{_MAIL}",
            },
        ],
    },
    {
        "code": "building",
        "name_ar": "المديرية العامة لتراخيص البناء والتفتيش",
        "name_en": "Directorate General of Building Permits and Inspection",
        "sections": [
            {
                "code": "building_permits",
                "name_ar": "قسم تراخيص البناء وشهادات الإتمام",
                "name_en": "Building Permits and Completion Certificates Section",
                "email": f"building.permits@{_MAIL}",
            },
            {
                "code": "building_inspection",
                "name_ar": "قسم التفتيش والرقابة على المباني",
                "name_en": "Building Inspection and Control Section",
                "email": f"building.inspection@{_MAIL}",
            },
        ],
    },
    {
        "code": "parks",
        "name_ar": "المديرية العامة للحدائق والتجميل",
        "name_en": "Directorate General of Parks and Beautification",
        "sections": [
            {
                "code": "parks_maintenance",
                "name_ar": "قسم صيانة الحدائق والمرافق الترفيهية",
                "name_en": "Parks and Recreational Facilities Maintenance Section",
                "email": f"parks.maintenance@{_MAIL}",
            },
            {
                "code": "parks_landscaping",
                "name_ar": "قسم التشجير وشبكات الري",
                "name_en": "Landscaping and Irrigation Section",
                "email": f"parks.landscaping@{_MAIL}",
            },
        ],
    },
    {
        "code": "markets",
        "name_ar": "المديرية العامة للأسواق والتراخيص التجارية",
        "name_en": "Directorate General of Markets and Commercial Licensing",
        "sections": [
            {
                "code": "markets_inspection",
                "name_ar": "قسم الرقابة على الأسواق والباعة المتجولين",
                "name_en": "Markets and Street Vendors Inspection Section",
                "email": f"markets.inspection@{_MAIL}",
            },
            {
                "code": "markets_licensing",
                "name_ar": "قسم التراخيص التجارية والإعلانات",
                "name_en": "Commercial and Advertising Licences Section",
                "email": f"markets.licensing@{_MAIL}",
            },
        ],
    },
    {
        "code": "technical",
        "name_ar": "المديرية العامة للشؤون الفنية",
        "name_en": "Directorate General of Technical Affairs",
        "sections": [
            {
                "code": "technical_lighting",
                "name_ar": "قسم الإنارة العامة",
                "name_en": "Street Lighting Section",
                "email": f"lighting.maintenance@{_MAIL}",
            },
            {
                "code": "technical_electrical",
                "name_ar": "قسم الأعمال الكهربائية والميكانيكية",
                "name_en": "Electrical and Mechanical Works Section",
                "email": f"technical.electrical@{_MAIL}",
            },
        ],
    },
    {
        "code": "customer_service",
        "name_ar": "المديرية العامة لخدمة المواطنين",
        "name_en": "Directorate General of Customer Service",
        "sections": [
            {
                "code": "cs_contact_center",
                "name_ar": "مركز الاتصال 1111",
                "name_en": "Contact Center 1111",
                "email": f"contact.center@{_MAIL}",
            },
            {
                "code": "cs_partner_liaison",
                "name_ar": "قسم التنسيق مع الجهات الشريكة",
                "name_en": "Partner Liaison and Coordination Section",
                "email": f"partner.liaison@{_MAIL}",
            },
            {
                "code": "cs_tourism_center",
                "name_ar": "مركز اتصال السياحة",
                "name_en": "Tourism Contact Center",
                "email": f"tourism.center@{_MAIL}",
            },
        ],
    },
]

# ---------------------------------------------------------------------------
# Complaint categories
# Arabic keywords are written without diacritics; the matcher normalises
# alef/hamza forms, taa marbuta and alif maqsura.
# ---------------------------------------------------------------------------

# Where the chat widget's out-of-hours messages are filed until tier 1 classifies them.
FALLBACK_CATEGORY = "general_enquiry"

CATEGORIES: list[CategoryData] = [
    {
        "code": "road_damage",
        "name_ar": "حفر وأضرار في الطرق والأرصفة",
        "name_en": "Potholes and damaged roads",
        "section": "roads_maintenance",
        "sla_policy": "standard",
        "default_priority": "high",
        "skill": "general",
        "keywords_ar": [
            "حفرة",
            "حفر",
            "حفريات",
            "الشارع خربان",
            "طريق متكسر",
            "تشققات",
            "الاسفلت",
            "مطب",
            "هبوط في الطريق",
            "ترقيع",
            "رصيف مكسور",
            "شارع متضرر",
            "الرصيف",
        ],
        "keywords_en": [
            "pothole",
            "potholes",
            "damaged road",
            "broken asphalt",
            "road crack",
            "sinkhole",
            "speed bump",
            "uneven road",
            "broken pavement",
            "sidewalk",
            "road repair",
            "asphalt",
            "road surface",
        ],
    },
    {
        "code": "storm_drain",
        "name_ar": "انسداد تصريف مياه الأمطار وتجمع المياه",
        "name_en": "Blocked storm drain / rainwater flooding",
        "section": "roads_drainage",
        "sla_policy": "urgent",
        "default_priority": "urgent",
        "skill": "general",
        "keywords_ar": [
            "مياه الامطار",
            "تجمع مياه",
            "مياه راكدة",
            "غرق الشارع",
            "الشارع غرقان",
            "فتحة تصريف",
            "مصرف مسدود",
            "تصريف الامطار",
            "بركة ماء",
            "سيول",
            "مجرى السيل",
            "بعد المطر",
            "امطار",
        ],
        "keywords_en": [
            "storm drain",
            "blocked drain",
            "flooding",
            "flooded",
            "rainwater",
            "standing water",
            "water pooling",
            "drain cover",
            "drain grate",
            "puddle",
            "after the rain",
            "drains",
            "grates",
        ],
    },
    {
        "code": "road_signs",
        "name_ar": "لوحات إرشادية ومرورية مفقودة أو تالفة",
        "name_en": "Missing or damaged road signs",
        "section": "roads_traffic",
        "sla_policy": "standard",
        "default_priority": "normal",
        "skill": "general",
        "keywords_ar": [
            "لوحة ارشادية",
            "لوحة مرورية",
            "لوحة مكسورة",
            "لوحة طايحة",
            "اللوحة ساقطة",
            "لوحة اسم الشارع",
            "علامة قف",
            "اشارة قف",
            "خطوط المشاة",
            "لوحة مائلة",
            "لوحة السرعة",
            "الارشادية",
        ],
        "keywords_en": [
            "road sign",
            "street sign",
            "sign missing",
            "fallen sign",
            "stop sign",
            "signboard",
            "traffic sign",
            "lane markings",
            "zebra crossing",
            "direction sign",
            "speed limit sign",
            "direction board",
        ],
    },
    {
        "code": "garbage_not_collected",
        "name_ar": "عدم جمع القمامة",
        "name_en": "Garbage not collected",
        "section": "waste_collection",
        "sla_policy": "urgent",
        "default_priority": "high",
        "skill": "general",
        "keywords_ar": [
            "زبالة",
            "قمامة",
            "القمامة ما انشالت",
            "لم يتم جمع",
            "سيارة النظافة",
            "عمال النظافة",
            "النفايات",
            "متراكمة",
            "متكدسة",
            "اكياس القمامة",
            "ما جات سيارة",
            "ريحة",
            "رفع المخلفات",
        ],
        "keywords_en": [
            "garbage",
            "rubbish",
            "trash",
            "not collected",
            "not picked up",
            "garbage truck",
            "waste collection",
            "missed collection",
            "garbage pile",
            "bags piling",
        ],
    },
    {
        "code": "container_overflow",
        "name_ar": "حاوية ممتلئة أو تالفة",
        "name_en": "Overflowing or damaged container",
        "section": "waste_collection",
        "sla_policy": "urgent",
        "default_priority": "normal",
        "skill": "general",
        "keywords_ar": [
            "حاوية",
            "حاويات",
            "الحاوية ممتلئة",
            "الحاوية فايضة",
            "الحاوية مليانة",
            "حاوية مكسورة",
            "غطاء الحاوية",
            "برميل القمامة",
            "حاوية اضافية",
            "نقل الحاوية",
            "البرميل",
            "فايضة",
        ],
        "keywords_en": [
            "container",
            "bin",
            "bins",
            "overflowing",
            "full container",
            "skip",
            "dumpster",
            "broken bin",
            "extra bin",
            "container lid",
        ],
    },
    {
        "code": "bulky_waste",
        "name_ar": "طلب نقل مخلفات كبيرة",
        "name_en": "Bulky waste pick-up",
        "section": "waste_bulky",
        "sla_policy": "standard",
        "default_priority": "low",
        "skill": "general",
        "keywords_ar": [
            "مخلفات كبيرة",
            "اثاث قديم",
            "كنب",
            "مراتب",
            "ثلاجة قديمة",
            "اجهزة قديمة",
            "غسالة",
            "مخلفات الاشجار",
            "سعف",
            "نقل الاثاث",
            "اغراض قديمة",
            "دواليب",
        ],
        "keywords_en": [
            "bulky waste",
            "old furniture",
            "sofa",
            "mattress",
            "fridge",
            "appliances",
            "pickup",
            "pick-up",
            "large items",
            "garden waste",
            "palm fronds",
        ],
    },
    {
        "code": "debris_dumping",
        "name_ar": "رمي مخلفات البناء",
        "name_en": "Construction debris dumping",
        "section": "waste_enforcement",
        "sla_policy": "standard",
        "default_priority": "normal",
        "skill": "general",
        "keywords_ar": [
            "مخلفات بناء",
            "مخلفات البناء",
            "رمي مخلفات",
            "انقاض",
            "ركام",
            "طابوق",
            "تراب",
            "رمل",
            "اسمنت",
            "شاحنة ترمي",
            "ارض فضاء",
            "يفرغ",
        ],
        "keywords_en": [
            "construction debris",
            "rubble",
            "dumping",
            "illegal dumping",
            "building waste",
            "broken concrete",
            "bricks",
            "debris",
            "empty plot",
            "truck dumping",
        ],
    },
    {
        "code": "dead_animal",
        "name_ar": "حيوان نافق",
        "name_en": "Dead animal",
        "section": "health_veterinary",
        "sla_policy": "urgent",
        "default_priority": "high",
        "skill": "health",
        "keywords_ar": [
            "حيوان نافق",
            "نافق",
            "نافقة",
            "قطة ميتة",
            "كلب ميت",
            "جيفة",
            "حمار ميت",
            "جمل نافق",
            "حيوان ميت",
            "طيور ميتة",
            "ميت في الشارع",
        ],
        "keywords_en": [
            "dead animal",
            "dead cat",
            "dead dog",
            "carcass",
            "dead goat",
            "dead camel",
            "roadkill",
            "dead donkey",
            "dead birds",
        ],
    },
    {
        "code": "stray_animals",
        "name_ar": "حيوانات سائبة وضالة",
        "name_en": "Stray animals",
        "section": "health_veterinary",
        "sla_policy": "standard",
        "default_priority": "normal",
        "skill": "health",
        "keywords_ar": [
            "كلاب ضالة",
            "كلاب سائبة",
            "قطط",
            "قطط ضالة",
            "حيوانات سائبة",
            "كلاب",
            "مواشي سائبة",
            "اغنام سائبة",
            "حمير",
            "جمال سائبة",
            "عضه كلب",
            "تنبح",
        ],
        "keywords_en": [
            "stray dogs",
            "stray cats",
            "stray animals",
            "dogs",
            "cats",
            "barking",
            "loose goats",
            "camels",
            "donkeys",
            "bitten",
            "pack of dogs",
        ],
    },
    {
        "code": "food_hygiene",
        "name_ar": "نظافة المطاعم والمنشآت الغذائية",
        "name_en": "Food hygiene in restaurants",
        "section": "health_food_control",
        "sla_policy": "urgent",
        "default_priority": "high",
        "skill": "health",
        "keywords_ar": [
            "مطعم",
            "مطعم وسخ",
            "نظافة المطعم",
            "تسمم",
            "تسمم غذائي",
            "مقهى",
            "مخبز",
            "كافتيريا",
            "بدون قفازات",
            "شعر في الاكل",
            "المطبخ وسخ",
            "شاورما",
        ],
        "keywords_en": [
            "restaurant",
            "food poisoning",
            "dirty kitchen",
            "cafeteria",
            "cafe",
            "bakery",
            "hygiene",
            "unhygienic",
            "hair in food",
            "food handler",
            "filthy kitchen",
            "shawarma",
        ],
    },
    {
        "code": "expired_food",
        "name_ar": "بيع مواد غذائية منتهية الصلاحية أو فاسدة",
        "name_en": "Expired or spoiled food on sale",
        "section": "health_food_control",
        "sla_policy": "urgent",
        "default_priority": "high",
        "skill": "health",
        "keywords_ar": [
            "منتهي الصلاحية",
            "منتهية الصلاحية",
            "انتهاء الصلاحية",
            "تاريخ الانتهاء",
            "فاسد",
            "لحم فاسد",
            "حليب منتهي",
            "عفن",
            "بقالة",
            "سوبرماركت",
            "خربانة",
            "منتفخة",
        ],
        "keywords_en": [
            "expired",
            "expiry date",
            "out of date",
            "spoiled food",
            "rotten",
            "best before",
            "grocery",
            "supermarket",
            "mouldy",
            "moldy",
            "bad meat",
            "out-of-date",
        ],
    },
    {
        "code": "pests",
        "name_ar": "الحشرات والقوارض (طلب مكافحة)",
        "name_en": "Pests and insects (mosquitoes, rodents)",
        "section": "health_pest_control",
        "sla_policy": "standard",
        "default_priority": "normal",
        "skill": "health",
        "keywords_ar": [
            "ناموس",
            "بعوض",
            "حشرات",
            "صراصير",
            "فئران",
            "جرذان",
            "ذباب",
            "رش مبيد",
            "رش المنطقة",
            "مكافحة",
            "قوارض",
            "النمل الابيض",
            "بق الفراش",
            "نمل",
        ],
        "keywords_en": [
            "mosquitoes",
            "mosquito",
            "rats",
            "mice",
            "rodents",
            "cockroaches",
            "insects",
            "flies",
            "fogging",
            "spraying",
            "pest control",
            "termites",
            "bed bugs",
        ],
    },
    {
        "code": "building_violation",
        "name_ar": "بناء بدون ترخيص أو مخالفة بناء",
        "name_en": "Building without permit / building violation",
        "section": "building_inspection",
        "sla_policy": "standard",
        "default_priority": "normal",
        "skill": "building",
        "keywords_ar": [
            "بدون ترخيص",
            "بدون تصريح",
            "مخالفة بناء",
            "بناء مخالف",
            "ملحق مخالف",
            "بناء عشوائي",
            "تعدي على ارض",
            "الارتداد",
            "توسعة بدون رخصة",
            "دور ثاني",
            "مظلة مخالفة",
            "سور مخالف",
            "بدون موافقة",
        ],
        "keywords_en": [
            "without permit",
            "without a permit",
            "building violation",
            "illegal construction",
            "unauthorized extension",
            "encroachment",
            "illegal annex",
            "setback",
            "no permit",
            "illegal fence",
            "extension",
            "without any approval",
        ],
    },
    {
        "code": "unsafe_construction",
        "name_ar": "مبنى غير آمن أو إزعاج أعمال البناء",
        "name_en": "Unsafe building / construction noise",
        "section": "building_inspection",
        "sla_policy": "urgent",
        "default_priority": "high",
        "skill": "building",
        "keywords_ar": [
            "ايل للسقوط",
            "مبنى خطر",
            "مبنى قديم",
            "ازعاج",
            "ضجة",
            "العمل بالليل",
            "تشققات المبنى",
            "سقالة",
            "موقع بناء",
            "حفرية مكشوفة",
            "غبار",
            "مبنى مهجور",
            "رافعة",
        ],
        "keywords_en": [
            "unsafe building",
            "collapse",
            "construction noise",
            "noise at night",
            "scaffolding",
            "construction site",
            "open excavation",
            "dust",
            "abandoned building",
            "crane",
            "cracks",
            "hammering",
            "half-built",
            "rebar",
        ],
    },
    {
        "code": "building_permit_enquiry",
        "name_ar": "استفسار عن تراخيص البناء",
        "name_en": "Building permit enquiry",
        "section": "building_permits",
        "sla_policy": "extended",
        "default_priority": "low",
        "skill": "building",
        "keywords_ar": [
            "رخصة بناء",
            "تصريح البناء",
            "ترخيص بناء",
            "اجراءات الترخيص",
            "شهادة اتمام البناء",
            "المخطط",
            "رسوم الترخيص",
            "طلب رخصة",
            "المكتب الاستشاري",
            "تجديد رخصة",
            "المستندات المطلوبة",
        ],
        "keywords_en": [
            "building permit",
            "permit application",
            "construction licence",
            "completion certificate",
            "permit status",
            "drawings",
            "permit fees",
            "how to apply",
            "consultant",
            "renew permit",
            "documents do i need",
            "apply for the permit",
        ],
    },
    {
        "code": "park_maintenance",
        "name_ar": "صيانة الحدائق وألعاب الأطفال",
        "name_en": "Park maintenance / damaged playground",
        "section": "parks_maintenance",
        "sla_policy": "standard",
        "default_priority": "normal",
        "skill": "general",
        "keywords_ar": [
            "حديقة",
            "الحديقة",
            "حديقة عامة",
            "العاب الاطفال",
            "مراجيح",
            "زحليقة",
            "ملعب",
            "كراسي الحديقة",
            "حمامات الحديقة",
            "ممشى",
            "الحديقة مهملة",
            "العاب مكسورة",
        ],
        "keywords_en": [
            "park",
            "playground",
            "swings",
            "slide",
            "play equipment",
            "bench",
            "benches",
            "park toilets",
            "walking track",
            "neglected park",
            "drinking fountain",
        ],
    },
    {
        "code": "trees_irrigation",
        "name_ar": "تقليم الأشجار وتسربات الري",
        "name_en": "Tree trimming / irrigation leak",
        "section": "parks_landscaping",
        "sla_policy": "standard",
        "default_priority": "normal",
        "skill": "general",
        "keywords_ar": [
            "شجرة",
            "اشجار",
            "تقليم",
            "قص الاشجار",
            "شجرة طايحة",
            "اغصان",
            "خط الري",
            "تسريب ري",
            "الرشاشات",
            "نخلة",
            "الجزيرة الوسطية",
            "عشب",
        ],
        "keywords_en": [
            "tree",
            "trees",
            "trimming",
            "pruning",
            "fallen tree",
            "branch",
            "branches",
            "irrigation",
            "sprinkler",
            "sprinklers",
            "palm tree",
            "overgrown",
            "median",
        ],
    },
    {
        "code": "street_vendors",
        "name_ar": "مخالفات الأسواق والباعة المتجولين",
        "name_en": "Market stall violations / street vendors",
        "section": "markets_inspection",
        "sla_policy": "standard",
        "default_priority": "normal",
        "skill": "general",
        "keywords_ar": [
            "باعة متجولين",
            "بائع متجول",
            "بسطة",
            "بسطات",
            "عربة",
            "عربات",
            "السوق",
            "احتلال الرصيف",
            "البيع على الشارع",
            "سوق السمك",
            "سوق الخضار",
            "كشك",
            "بضاعة على الممر",
            "بائع",
        ],
        "keywords_en": [
            "street vendor",
            "vendors",
            "hawker",
            "hawkers",
            "stall",
            "souq",
            "market",
            "selling on the street",
            "blocking the footpath",
            "kiosk",
            "fish market",
            "unlicensed seller",
            "cart",
        ],
    },
    {
        "code": "street_light",
        "name_ar": "عطل في إنارة الشوارع",
        "name_en": "Street light out",
        "section": "technical_lighting",
        "sla_policy": "standard",
        "default_priority": "normal",
        "skill": "general",
        "keywords_ar": [
            "عمود انارة",
            "عمود الانارة",
            "انارة",
            "الانارة",
            "ضوء الشارع مطفي",
            "الشارع ظلام",
            "لمبة",
            "اضاءة",
            "الانوار طافية",
            "اسلاك مكشوفة",
            "كشاف",
            "مطفي",
            "عمود كهرباء",
        ],
        "keywords_en": [
            "street light",
            "street lights",
            "streetlight",
            "lamp post",
            "light pole",
            "light out",
            "dark street",
            "lights not working",
            "flickering",
            "exposed wires",
            "bulb",
            "street lamp",
        ],
    },
    {
        "code": "telecom",
        "name_ar": "ملاحظة على خدمات الاتصالات (عمانتل / أوريدو)",
        "name_en": "Telecom remark (Omantel / Ooredoo)",
        "section": "cs_partner_liaison",
        "sla_policy": "partner",
        "default_priority": "normal",
        "skill": "partners",
        "keywords_ar": [
            "عمانتل",
            "اوريدو",
            "انترنت",
            "الانترنت",
            "الشبكة",
            "تغطية",
            "الفايبر",
            "الهاتف الثابت",
            "برج اتصالات",
            "فاتورة الهاتف",
            "النت مقطوع",
            "شركة الاتصالات",
            "الاتصالات",
        ],
        "keywords_en": [
            "omantel",
            "ooredoo",
            "internet",
            "network",
            "coverage",
            "fiber",
            "fibre",
            "landline",
            "telecom tower",
            "phone bill",
            "no signal",
            "broadband",
        ],
    },
    {
        "code": "water_services",
        "name_ar": "تسرب أو انقطاع المياه والصرف الصحي (حيا للمياه)",
        "name_en": "Water leak / water supply / sewage (Haya Water)",
        "section": "cs_partner_liaison",
        "sla_policy": "partner",
        "default_priority": "high",
        "skill": "partners",
        "keywords_ar": [
            "تسرب مياه",
            "تسريب ماء",
            "انقطاع المياه",
            "الماء مقطوع",
            "حيا",
            "انبوب مكسور",
            "عداد الماء",
            "ضغط الماء",
            "مجاري",
            "الصرف الصحي",
            "طفح المجاري",
            "فاتورة الماء",
            "منهل",
            "ضغط المياه",
        ],
        "keywords_en": [
            "water leak",
            "burst pipe",
            "no water",
            "water supply",
            "haya",
            "water pressure",
            "water meter",
            "sewage",
            "sewer",
            "water bill",
            "leaking pipe",
            "manhole",
        ],
    },
    {
        "code": "tourism",
        "name_ar": "ملاحظة سياحية",
        "name_en": "Tourism remark",
        "section": "cs_tourism_center",
        "sla_policy": "partner",
        "default_priority": "normal",
        "skill": "tourism",
        "keywords_ar": [
            "سياحة",
            "سياحي",
            "سياح",
            "فندق",
            "شقق فندقية",
            "مرشد سياحي",
            "منتجع",
            "موقع اثري",
            "قلعة",
            "حصن",
            "مخيم سياحي",
            "رحلة",
            "حجز",
            "المواقع الاثرية",
        ],
        "keywords_en": [
            "tourism",
            "tourist",
            "tourists",
            "hotel",
            "resort",
            "tour guide",
            "tour company",
            "fort",
            "heritage site",
            "museum",
            "hotel apartment",
            "dhow",
            "booking",
            "visitors",
        ],
    },
    {
        "code": "consumer",
        "name_ar": "شكوى مستهلك (أسعار / غش)",
        "name_en": "Consumer complaint (prices / fraud)",
        "section": "cs_partner_liaison",
        "sla_policy": "partner",
        "default_priority": "normal",
        "skill": "partners",
        "keywords_ar": [
            "حماية المستهلك",
            "الاسعار",
            "غلاء",
            "رفع السعر",
            "غش",
            "مغشوش",
            "احتيال",
            "الضمان",
            "استرجاع",
            "رجعون الفلوس",
            "تخفيضات وهمية",
            "عربون",
            "تقليد",
        ],
        "keywords_en": [
            "consumer protection",
            "price",
            "overcharged",
            "overcharging",
            "fraud",
            "scam",
            "refund",
            "warranty",
            "fake",
            "counterfeit",
            "misleading offer",
            "receipt",
            "money back",
        ],
    },
    {
        "code": "abandoned_cars",
        "name_ar": "سيارات مهملة ومتروكة",
        "name_en": "Abandoned vehicles",
        "section": "waste_enforcement",
        "sla_policy": "extended",
        "default_priority": "low",
        "skill": "general",
        "keywords_ar": [
            "سيارة مهملة",
            "سيارة متروكة",
            "مركبة مهجورة",
            "سيارة مهجورة",
            "سيارة قديمة",
            "بدون لوحات",
            "خردة",
            "سحب السيارة",
            "سيارة محروقة",
            "ما تتحرك",
        ],
        "keywords_en": [
            "abandoned car",
            "abandoned vehicle",
            "left car",
            "wrecked car",
            "no plates",
            "scrap car",
            "tow",
            "burnt out car",
            "rusty car",
            "has not moved",
        ],
    },
    {
        "code": "parking",
        "name_ar": "مخالفات المواقف وطلبات المواقف",
        "name_en": "Parking problems and requests",
        "section": "roads_parking",
        "sla_policy": "standard",
        "default_priority": "normal",
        "skill": "general",
        "keywords_ar": [
            "مواقف",
            "موقف",
            "الموقف",
            "وقوف عشوائي",
            "يوقف سيارته",
            "سد المدخل",
            "صفين",
            "ماكينة المواقف",
            "رسوم المواقف",
            "مخالفة وقوف",
            "مواقف ذوي الاعاقة",
        ],
        "keywords_en": [
            "parking",
            "parked",
            "double parking",
            "blocking my driveway",
            "parking space",
            "parking machine",
            "parking fine",
            "parking permit",
            "disabled bay",
            "car park",
        ],
    },
    {
        # Messages left in the chat widget out of hours land here (see
        # OrganisationSettings.fallback_category); tier 1 reclassifies them.
        "code": "general_enquiry",
        "name_ar": "استفسار أو بلاغ عام",
        "name_en": "General enquiry or report",
        "section": "cs_contact_center",
        "sla_policy": "standard",
        "default_priority": "normal",
        "skill": "general",
        "keywords_ar": ["استفسار", "سؤال", "بلاغ عام", "ملاحظة"],
        "keywords_en": ["enquiry", "question", "general", "remark"],
    },
]

# ---------------------------------------------------------------------------
# Partner bodies: remarks are forwarded to them by SMS and e-mail, and the
# caller receives an SMS telling them to follow up with the body directly.
# Phone numbers below are placeholders invented for the demo.
# ---------------------------------------------------------------------------

PARTNERS: list[PartnerData] = [
    {
        "code": "omantel",
        "name_ar": "عمانتل",
        "name_en": "Omantel",
        "sms_number": "+96891000111",
        "email": "municipality.remarks@omantel.om.example",
        "follow_up_ar": (
            "تمت إحالة ملاحظتك إلى عمانتل. يرجى متابعتها مباشرة مع خدمة عملاء "
            "عمانتل على الرقم 1300 مع ذكر رقم البلاغ."
        ),
        "follow_up_en": (
            "Your remark has been forwarded to Omantel. Please follow up directly "
            "with Omantel customer service on 1300, quoting your report number."
        ),
    },
    {
        "code": "ooredoo",
        "name_ar": "أوريدو",
        "name_en": "Ooredoo",
        "sms_number": "+96895000222",
        "email": "municipality.remarks@ooredoo.om.example",
        "follow_up_ar": (
            "تمت إحالة ملاحظتك إلى أوريدو. يرجى متابعتها مباشرة مع خدمة عملاء "
            "أوريدو على الرقم 1550 مع ذكر رقم البلاغ."
        ),
        "follow_up_en": (
            "Your remark has been forwarded to Ooredoo. Please follow up directly "
            "with Ooredoo customer service on 1550, quoting your report number."
        ),
    },
    {
        "code": "haya_water",
        "name_ar": "حيا للمياه",
        "name_en": "Haya Water",
        "sms_number": "+96892000333",
        "email": "operations.remarks@haya.om.example",
        "follow_up_ar": (
            "تمت إحالة ملاحظتك إلى حيا للمياه. يرجى متابعتها مباشرة مع خدمة عملاء "
            "حيا للمياه على الرقم 1442 مع ذكر رقم البلاغ."
        ),
        "follow_up_en": (
            "Your remark has been forwarded to Haya Water. Please follow up directly "
            "with Haya Water customer service on 1442, quoting your report number."
        ),
    },
    {
        "code": "heritage_tourism",
        "name_ar": "وزارة التراث والسياحة",
        "name_en": "Ministry of Heritage and Tourism",
        "sms_number": "+96871000444",
        "email": "visitor.feedback@mht.gov.om.example",
        "follow_up_ar": (
            "تمت إحالة ملاحظتك إلى وزارة التراث والسياحة. يرجى متابعتها مع خدمة "
            "المراجعين بالوزارة على الرقم 80071234 مع ذكر رقم البلاغ."
        ),
        "follow_up_en": (
            "Your remark has been forwarded to the Ministry of Heritage and Tourism. "
            "Please follow up with the Ministry's customer service on 80071234, "
            "quoting your report number."
        ),
    },
    {
        "code": "consumer_protection",
        "name_ar": "هيئة حماية المستهلك",
        "name_en": "Consumer Protection Authority",
        "sms_number": "+96879000555",
        "email": "complaints.intake@cpa.gov.om.example",
        "follow_up_ar": (
            "تمت إحالة شكواك إلى هيئة حماية المستهلك. يرجى متابعتها مع خدمة "
            "عملاء الهيئة على الرقم 80079009 مع ذكر رقم البلاغ."
        ),
        "follow_up_en": (
            "Your complaint has been forwarded to the Consumer Protection Authority. "
            "Please follow up with the Authority's customer service on 80079009, "
            "quoting your report number."
        ),
    },
]

# ---------------------------------------------------------------------------
# Public holidays (Oman) for 2026 and 2027.
# Islamic holidays are approximate: the actual dates depend on the moon sighting
# and on the official announcement each year.
# ---------------------------------------------------------------------------

HOLIDAYS_2026: list[HolidayData] = [
    # 2026
    {
        "date": "2026-01-11",
        "name_ar": "ذكرى تولي السلطان مقاليد الحكم",
        "name_en": "Accession Day of His Majesty the Sultan",
    },
    {"date": "2026-01-16", "name_ar": "الإسراء والمعراج", "name_en": "Isra and Mi'raj"},
    {"date": "2026-03-19", "name_ar": "إجازة عيد الفطر", "name_en": "Eid al-Fitr holiday"},
    {"date": "2026-03-20", "name_ar": "عيد الفطر", "name_en": "Eid al-Fitr"},
    {"date": "2026-03-21", "name_ar": "إجازة عيد الفطر", "name_en": "Eid al-Fitr holiday"},
    {"date": "2026-03-22", "name_ar": "إجازة عيد الفطر", "name_en": "Eid al-Fitr holiday"},
    {"date": "2026-05-26", "name_ar": "يوم عرفة", "name_en": "Arafat Day"},
    {"date": "2026-05-27", "name_ar": "عيد الأضحى", "name_en": "Eid al-Adha"},
    {"date": "2026-05-28", "name_ar": "إجازة عيد الأضحى", "name_en": "Eid al-Adha holiday"},
    {"date": "2026-05-29", "name_ar": "إجازة عيد الأضحى", "name_en": "Eid al-Adha holiday"},
    {"date": "2026-06-16", "name_ar": "رأس السنة الهجرية", "name_en": "Islamic New Year"},
    {"date": "2026-08-25", "name_ar": "المولد النبوي الشريف", "name_en": "Prophet's Birthday"},
    {"date": "2026-11-18", "name_ar": "العيد الوطني", "name_en": "National Day"},
    {"date": "2026-11-19", "name_ar": "إجازة العيد الوطني", "name_en": "National Day holiday"},
    # 2027
    {"date": "2027-01-05", "name_ar": "الإسراء والمعراج", "name_en": "Isra and Mi'raj"},
    {
        "date": "2027-01-11",
        "name_ar": "ذكرى تولي السلطان مقاليد الحكم",
        "name_en": "Accession Day of His Majesty the Sultan",
    },
    {"date": "2027-03-09", "name_ar": "إجازة عيد الفطر", "name_en": "Eid al-Fitr holiday"},
    {"date": "2027-03-10", "name_ar": "عيد الفطر", "name_en": "Eid al-Fitr"},
    {"date": "2027-03-11", "name_ar": "إجازة عيد الفطر", "name_en": "Eid al-Fitr holiday"},
    {"date": "2027-03-12", "name_ar": "إجازة عيد الفطر", "name_en": "Eid al-Fitr holiday"},
    {"date": "2027-05-15", "name_ar": "يوم عرفة", "name_en": "Arafat Day"},
    {"date": "2027-05-16", "name_ar": "عيد الأضحى", "name_en": "Eid al-Adha"},
    {"date": "2027-05-17", "name_ar": "إجازة عيد الأضحى", "name_en": "Eid al-Adha holiday"},
    {"date": "2027-05-18", "name_ar": "إجازة عيد الأضحى", "name_en": "Eid al-Adha holiday"},
    {"date": "2027-06-06", "name_ar": "رأس السنة الهجرية", "name_en": "Islamic New Year"},
    {"date": "2027-08-14", "name_ar": "المولد النبوي الشريف", "name_en": "Prophet's Birthday"},
    {"date": "2027-11-18", "name_ar": "العيد الوطني", "name_en": "National Day"},
    {"date": "2027-11-19", "name_ar": "إجازة العيد الوطني", "name_en": "National Day holiday"},
]


# ---------------------------------------------------------------------------
# The tourism desk (issue 18): the Ministry of Tourism's contact line. Kept in
# this one function so that other demo additions merge beside it untouched.
# The desk itself is the skill "tourism" and the category "tourism" above.
# ---------------------------------------------------------------------------

TOURISM_ESTABLISHMENTS: list[dict[str, str]] = [
    {
        "code": "qurum-shore-hotel",
        "kind": "hotel",
        "name_ar": "فندق شاطئ القرم",
        "name_en": "Qurum Shore Hotel",
        "area_ar": "القرم",
        "area_en": "Qurum",
    },
    {
        "code": "khuwair-hotel-apartments",
        "kind": "hotel",
        "name_ar": "شقق الخوير الفندقية",
        "name_en": "Al Khuwair Hotel Apartments",
        "area_ar": "الخوير",
        "area_en": "Al Khuwair",
    },
    {
        "code": "muttrah-corniche-tours",
        "kind": "tour_operator",
        "name_ar": "جولات كورنيش مطرح",
        "name_en": "Muttrah Corniche Tours",
        "area_ar": "مطرح",
        "area_en": "Muttrah",
    },
    {
        "code": "blue-sea-restaurant",
        "kind": "restaurant",
        "name_ar": "مطعم البحر الأزرق",
        "name_en": "Blue Sea Restaurant",
        "area_ar": "شاطئ العذيبة",
        "area_en": "Azaiba Beach",
    },
    {
        "code": "nakhal-fort",
        "kind": "site",
        "name_ar": "قلعة نخل",
        "name_en": "Nakhal Fort",
        "area_ar": "نخل",
        "area_en": "Nakhal",
    },
]

# (establishment, days ago, score, comment, language)
TOURISM_RATINGS: list[tuple[str, int, int, str, str]] = [
    ("qurum-shore-hotel", 75, 5, "Friendly staff and a clean beach.", "en"),
    ("qurum-shore-hotel", 40, 4, "غرفة نظيفة لكن الإفطار متأخر.", "ar"),
    ("qurum-shore-hotel", 6, 2, "Air conditioning broken for two nights.", "en"),
    ("khuwair-hotel-apartments", 50, 3, "Good location, noisy at night.", "en"),
    ("muttrah-corniche-tours", 62, 5, "Our guide spoke excellent English.", "en"),
    ("muttrah-corniche-tours", 12, 4, "جولة ممتعة في السوق.", "ar"),
    ("blue-sea-restaurant", 30, 1, "Charged twice on my card.", "en"),
    ("nakhal-fort", 20, 5, "Beautiful fort, please add more shade in the car park.", "en"),
    ("nakhal-fort", 3, 4, "مكان رائع، نحتاج لوحات إرشادية أكثر.", "ar"),
]

# (topic, establishment or "", text, language)
TOURISM_SUGGESTIONS: list[tuple[str, str, str, str]] = [
    ("information", "nakhal-fort", "Signs in English on the road to the fort, please.", "en"),
    ("transport", "", "A shuttle bus between Muttrah and Qurum for visitors.", "en"),
    ("events", "", "إقامة مهرجان للمأكولات العمانية في الشتاء.", "ar"),
    ("services", "nakhal-fort", "More shaded parking and drinking water at the gate.", "en"),
]

TOURISM_CANNED_REPLIES: list[dict[str, str]] = [
    {
        "code": "tourism-greeting",
        "title_ar": "ترحيب (السياحة)",
        "title_en": "Greeting (tourism)",
        "text_ar": "مرحبًا {name}، معك مركز اتصال السياحة. كيف أستطيع مساعدتك في زيارتك؟",
        "text_en": (
            "Hello {name}, this is the Ministry of Tourism contact line. "
            "How can I help with your visit?"
        ),
    },
    {
        "code": "tourism-rate",
        "title_ar": "رابط التقييم (السياحة)",
        "title_en": "Rating link (tourism)",
        "text_ar": "يمكنك تقييم المكان وكتابة ملاحظتك من صفحة خط السياحة: /tourism/",
        "text_en": "You can rate the place and leave your comment on the tourism page: /tourism/",
    },
    {
        "code": "tourism-complaint-registered",
        "title_ar": "شكوى مسجلة (السياحة)",
        "title_en": "Complaint registered (tourism)",
        "text_ar": "سجلنا شكواك على المنشأة برقم {reference} وسنتابعها معها ونبلغك بالنتيجة.",
        "text_en": (
            "Your complaint about the establishment is registered as {reference}. "
            "We will follow it up with them and tell you the outcome."
        ),
    },
]


def tourism_desk_load() -> None:
    """The tourism desk's demo: complaint category, establishments, ratings, suggestions, replies.

    Idempotent: rows are matched by code; ratings and suggestions are added
    only when there are none yet.
    """
    import datetime

    from django.utils import timezone

    from helpdesk.models import (
        CannedReply,
        Category,
        Establishment,
        EstablishmentRating,
        Section,
        Skill,
        SLAPolicy,
        Suggestion,
    )

    Category.objects.update_or_create(
        code="tourism_establishment",
        defaults={
            "name_ar": "شكوى على منشأة سياحية",
            "name_en": "Complaint about a tourism establishment",
            "default_section": Section.objects.get(code="cs_tourism_center"),
            "sla_policy": SLAPolicy.objects.get(code="partner"),
            "skill": Skill.objects.get(code="tourism"),
            "default_priority": "normal",
            "keywords_ar": "شكوى على فندق\nشكوى على مطعم\nشركة سياحية\nمرشد سياحي سيء",
            "keywords_en": "hotel complaint\nrestaurant complaint\ntour operator\nrude tour guide",
        },
    )
    places = {
        row["code"]: Establishment.objects.update_or_create(
            code=row["code"], defaults={k: v for k, v in row.items() if k != "code"}
        )[0]
        for row in TOURISM_ESTABLISHMENTS
    }
    for reply in TOURISM_CANNED_REPLIES:
        CannedReply.objects.update_or_create(
            code=reply["code"], defaults={k: v for k, v in reply.items() if k != "code"}
        )
    now = timezone.now()
    if not EstablishmentRating.objects.exists():
        for code, days_ago, score, comment, language in TOURISM_RATINGS:
            rating = EstablishmentRating.objects.create(
                establishment=places[code], score=score, comment=comment, language=language
            )
            EstablishmentRating.objects.filter(pk=rating.pk).update(
                created_at=now - datetime.timedelta(days=days_ago)
            )
    if not Suggestion.objects.exists():
        for topic, code, text, language in TOURISM_SUGGESTIONS:
            Suggestion.objects.create(
                topic=topic, establishment=places.get(code), text=text, language=language
            )
