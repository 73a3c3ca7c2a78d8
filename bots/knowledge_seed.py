"""Bilingual knowledge base of municipal service procedures (demo content).

These articles were written for the Nidaa demo. They describe plausible
procedures, documents, approximate fees and timings; they are not official
information and must be reviewed by the municipality before any real use.
"""

from typing import TypedDict


class ArticleData(TypedDict):
    slug: str
    title_ar: str
    title_en: str
    body_ar: str
    body_en: str
    keywords_ar: list[str]
    keywords_en: list[str]


ARTICLES: list[ArticleData] = [
    {
        "slug": "building-permit-application",
        "title_ar": "طلب رخصة بناء",
        "title_en": "Applying for a building permit",
        "body_ar": (
            "يقدم الطلب مالك الأرض أو مكتب استشاري هندسي مسجل لدى البلدية نيابة عنه.\n"
            "الخطوات:\n"
            "1. التعاقد مع مكتب استشاري مسجل لإعداد المخططات المعمارية والإنشائية.\n"
            "2. يقدم المكتب الطلب عبر بوابة الخدمات الإلكترونية للبلدية.\n"
            "3. سداد رسوم الدراسة إلكترونياً بعد قبول الطلب.\n"
            "4. متابعة الدراسة الفنية، وتعاد الملاحظات إلى المكتب الاستشاري لتعديلها.\n"
            "5. بعد الاعتماد تسدد رسوم الرخصة ويتم تنزيلها من البوابة.\n"
            "المستندات المطلوبة: نسخة من سند الملكية، الكروكي المعتمد، البطاقة الشخصية "
            "للمالك، المخططات موقعة من المكتب الاستشاري، عقد المقاول.\n"
            "الرسوم (تقريبية): رسوم دراسة نحو 10 ر.ع، ورسوم الرخصة حسب مساحة البناء، "
            "وغالباً بين 100 و400 ر.ع للفيلا السكنية.\n"
            "المدة المتوقعة: من 10 إلى 15 يوم عمل بعد اكتمال الطلب."
        ),
        "body_en": (
            "The application is made by the plot owner, or on the owner's behalf by an "
            "engineering consultancy registered with the municipality.\n"
            "Steps:\n"
            "1. Appoint a registered consultancy to prepare the architectural and "
            "structural drawings.\n"
            "2. The consultant submits the application on the municipality e-services "
            "portal.\n"
            "3. Pay the review fee online once the application is accepted.\n"
            "4. Follow the technical review; comments are sent back to the consultant.\n"
            "5. After approval, pay the permit fee and download the permit.\n"
            "Required documents: title deed copy, approved site sketch (krooki), owner's "
            "ID card, drawings signed by the consultant, contractor agreement.\n"
            "Fees (approximate): review fee about OMR 10; permit fee by built-up area, "
            "usually OMR 100-400 for a villa.\n"
            "Expected time: 10-15 working days after a complete submission."
        ),
        "keywords_ar": [
            "رخصة بناء",
            "تصريح بناء",
            "ترخيص بناء",
            "مخططات",
            "مكتب استشاري",
            "بناء منزل",
            "فيلا",
            "رسوم الرخصة",
        ],
        "keywords_en": [
            "building permit",
            "construction permit",
            "permit application",
            "drawings",
            "consultant",
            "build a house",
            "villa",
            "permit fee",
        ],
    },
    {
        "slug": "building-completion-certificate",
        "title_ar": "شهادة إتمام البناء",
        "title_en": "Building completion certificate",
        "body_ar": (
            "تطلب شهادة إتمام البناء بعد انتهاء الأعمال، وهي لازمة لتوصيل الكهرباء "
            "والمياه بشكل دائم ولتأجير المبنى.\n"
            "الخطوات:\n"
            "1. يقدم المكتب الاستشاري طلب الإتمام عبر بوابة الخدمات الإلكترونية.\n"
            "2. إرفاق المستندات المطلوبة.\n"
            "3. يزور مفتش البلدية الموقع للتأكد من مطابقة البناء للمخططات المعتمدة.\n"
            "4. معالجة الملاحظات إن وجدت وطلب زيارة ثانية.\n"
            "5. سداد الرسوم واستلام الشهادة إلكترونياً.\n"
            "المستندات المطلوبة: رقم رخصة البناء، تقرير الإتمام من المكتب الاستشاري، "
            "موافقة الدفاع المدني عند الحاجة، صور حديثة للمبنى.\n"
            "الرسوم (تقريبية): بين 20 و50 ر.ع حسب نوع المبنى.\n"
            "المدة المتوقعة: من 7 إلى 10 أيام عمل بعد التفتيش."
        ),
        "body_en": (
            "A completion certificate is requested once works are finished. It is "
            "needed for permanent electricity and water connections and to lease the "
            "building.\n"
            "Steps:\n"
            "1. The consultant submits the completion request on the e-services portal.\n"
            "2. Attach the required documents.\n"
            "3. A municipality inspector visits the site to check the building against "
            "the approved drawings.\n"
            "4. Correct any remarks and request a second visit if needed.\n"
            "5. Pay the fee and receive the certificate electronically.\n"
            "Required documents: building permit number, consultant's completion "
            "report, civil defence approval where applicable, recent photos.\n"
            "Fees (approximate): OMR 20-50 depending on building type.\n"
            "Expected time: 7-10 working days after the inspection."
        ),
        "keywords_ar": [
            "شهادة اتمام",
            "اتمام البناء",
            "انتهاء البناء",
            "توصيل الكهرباء",
            "توصيل الماء",
            "تفتيش المبنى",
            "شهادة انجاز",
        ],
        "keywords_en": [
            "completion certificate",
            "building completion",
            "finished building",
            "electricity connection",
            "water connection",
            "final inspection",
        ],
    },
    {
        "slug": "commercial-licence-renewal",
        "title_ar": "تجديد الترخيص البلدي للمحل التجاري",
        "title_en": "Renewing a shop / commercial municipal licence",
        "body_ar": (
            "يفضل التجديد خلال 30 يوماً قبل تاريخ انتهاء الترخيص لتجنب غرامات التأخير.\n"
            "الخطوات:\n"
            "1. الدخول إلى بوابة الخدمات الإلكترونية برقم السجل التجاري.\n"
            "2. اختيار خدمة تجديد الترخيص البلدي ومراجعة بيانات النشاط.\n"
            "3. رفع المستندات المطلوبة.\n"
            "4. سداد الرسوم إلكترونياً.\n"
            "5. طباعة الترخيص أو الاحتفاظ بالنسخة الإلكترونية، وقد تتم زيارة تفتيشية.\n"
            "المستندات المطلوبة: سجل تجاري ساري، عقد إيجار مسجل لدى البلدية، "
            "البطاقات الصحية للعمال في الأنشطة الغذائية، الترخيص السابق.\n"
            "الرسوم (تقريبية): بين 20 و100 ر.ع سنوياً حسب النشاط ومساحة المحل.\n"
            "المدة المتوقعة: في نفس اليوم إذا لم يلزم تفتيش، وحتى 5 أيام عمل مع التفتيش."
        ),
        "body_en": (
            "Renew within the 30 days before the expiry date to avoid late fines.\n"
            "Steps:\n"
            "1. Log in to the e-services portal with your commercial registration "
            "number.\n"
            "2. Choose the municipal licence renewal service and check the activity "
            "details.\n"
            "3. Upload the required documents.\n"
            "4. Pay the fees online.\n"
            "5. Print the licence or keep the electronic copy; an inspection visit may "
            "follow.\n"
            "Required documents: valid commercial registration, tenancy contract "
            "registered with the municipality, health cards for workers in food "
            "activities, previous licence.\n"
            "Fees (approximate): OMR 20-100 per year depending on activity and shop "
            "size.\n"
            "Expected time: same day if no inspection is needed, up to 5 working days "
            "with an inspection."
        ),
        "keywords_ar": [
            "تجديد ترخيص",
            "ترخيص بلدي",
            "رخصة محل",
            "ترخيص تجاري",
            "سجل تجاري",
            "غرامة تاخير",
            "تجديد الرخصة",
        ],
        "keywords_en": [
            "licence renewal",
            "license renewal",
            "shop licence",
            "municipal licence",
            "commercial licence",
            "commercial registration",
            "renew licence",
        ],
    },
    {
        "slug": "food-worker-health-card",
        "title_ar": "البطاقة الصحية لعمال المنشآت الغذائية",
        "title_en": "Health card for food workers",
        "body_ar": (
            "لا يسمح للعامل بتداول الأغذية قبل صدور بطاقته الصحية، وصلاحيتها سنة واحدة.\n"
            "الخطوات:\n"
            "1. يسجل صاحب العمل بيانات العامل في بوابة الخدمات الإلكترونية.\n"
            "2. يجري العامل الفحص الطبي في مركز صحي أو عيادة معتمدة.\n"
            "3. حضور محاضرة توعوية قصيرة عن سلامة الغذاء عند الطلب.\n"
            "4. سداد الرسوم إلكترونياً.\n"
            "5. تصدر البطاقة إلكترونياً ويحتفظ بها في المنشأة.\n"
            "المستندات المطلوبة: نسخة جواز السفر، بطاقة الإقامة، صورة شخصية، "
            "السجل التجاري والترخيص البلدي للمنشأة، نتائج الفحص الطبي.\n"
            "الرسوم (تقريبية): بين 10 و20 ر.ع للبطاقة، إضافة إلى رسوم الفحص.\n"
            "المدة المتوقعة: من 3 إلى 5 أيام عمل بعد ظهور نتائج الفحص."
        ),
        "body_en": (
            "A worker may not handle food before the health card is issued. The card is "
            "valid for one year.\n"
            "Steps:\n"
            "1. The employer registers the worker on the e-services portal.\n"
            "2. The worker has a medical examination at an approved health centre or "
            "clinic.\n"
            "3. Attend a short food-safety awareness session when requested.\n"
            "4. Pay the fees online.\n"
            "5. The card is issued electronically and kept at the establishment.\n"
            "Required documents: passport copy, resident card, personal photo, the "
            "establishment's commercial registration and municipal licence, medical "
            "results.\n"
            "Fees (approximate): OMR 10-20 for the card, plus the examination fee.\n"
            "Expected time: 3-5 working days after the medical results are ready."
        ),
        "keywords_ar": [
            "بطاقة صحية",
            "البطاقة الصحية",
            "فحص طبي",
            "عمال المطاعم",
            "عامل مطعم",
            "تجديد البطاقة الصحية",
            "سلامة الغذاء",
        ],
        "keywords_en": [
            "health card",
            "medical test",
            "food handler",
            "restaurant worker",
            "renew health card",
            "food safety",
            "medical examination",
        ],
    },
    {
        "slug": "report-stray-animal",
        "title_ar": "الإبلاغ عن حيوانات سائبة أو نافقة",
        "title_en": "Reporting a stray or dead animal",
        "body_ar": (
            "الخطوات:\n"
            "1. الاتصال على 1111 أو استخدام تطبيق i-Muscat أو نموذج البلاغ في موقع البلدية.\n"
            "2. تحديد الموقع بدقة (يمكن إرسال الموقع من التطبيق)، ونوع الحيوان وعدده، "
            "ووقت مشاهدته، وهل هو عدواني.\n"
            "3. استلام رقم البلاغ برسالة نصية.\n"
            "4. يتوجه فريق الشؤون البيطرية إلى الموقع لإزالة الحيوان النافق أو جدولة "
            "الإمساك بالحيوانات السائبة.\n"
            "5. في حال التعرض لعضة، توجه فوراً إلى أقرب مركز صحي دون انتظار.\n"
            "المستندات المطلوبة: لا يوجد.\n"
            "الرسوم: الخدمة مجانية. قد تفرض غرامات على أصحاب المواشي السائبة.\n"
            "المدة المتوقعة: الحيوانات النافقة خلال يوم عمل، والسائبة خلال نحو 3 أيام عمل.\n"
            "يرجى عدم محاولة الإمساك بالحيوانات بنفسك."
        ),
        "body_en": (
            "Steps:\n"
            "1. Call 1111, or use the i-Muscat app or the report form on the "
            "municipality website.\n"
            "2. Give the exact location (the app can send your position), the type and "
            "number of animals, when you saw them and whether they are aggressive.\n"
            "3. You receive the report number by SMS.\n"
            "4. The veterinary team visits to remove a dead animal or to schedule the "
            "capture of strays.\n"
            "5. If someone has been bitten, go to the nearest health centre immediately; "
            "do not wait for the team.\n"
            "Required documents: none.\n"
            "Fees: free of charge. Owners of loose livestock may be fined.\n"
            "Expected time: dead animals within 1 working day; strays within about 3 "
            "working days.\n"
            "Please do not try to catch animals yourself."
        ),
        "keywords_ar": [
            "كلاب ضالة",
            "كلاب سائبة",
            "قطط",
            "حيوان نافق",
            "حيوان ميت",
            "مواشي سائبة",
            "عضة كلب",
            "حيوانات سائبة",
        ],
        "keywords_en": [
            "stray dogs",
            "stray cats",
            "stray animal",
            "dead animal",
            "carcass",
            "loose livestock",
            "dog bite",
            "animal control",
        ],
    },
    {
        "slug": "bulky-waste-pickup",
        "title_ar": "حجز موعد لنقل المخلفات الكبيرة",
        "title_en": "Booking a bulky-waste pick-up",
        "body_ar": (
            "تشمل الخدمة الأثاث القديم والأجهزة المنزلية ومخلفات الحدائق، ولا تشمل "
            "مخلفات البناء التي يجب نقلها عبر مقاول مرخص.\n"
            "الخطوات:\n"
            "1. الحجز عبر 1111 أو تطبيق i-Muscat أو بوابة الخدمات الإلكترونية.\n"
            "2. ذكر نوع المخلفات وكميتها التقريبية وموقع المنزل.\n"
            "3. اختيار الموعد المناسب واستلام رسالة تأكيد برقم المرجع.\n"
            "4. وضع المخلفات أمام المنزل في يوم الموعد دون إغلاق الطريق، وليس قبل مساء "
            "اليوم السابق.\n"
            "5. يقوم الفريق بنقل المخلفات.\n"
            "المستندات المطلوبة: لا يوجد، يكفي رقم المنزل أو الموقع.\n"
            "الرسوم (تقريبية): مجانية للكميات المنزلية الصغيرة، ومن 5 إلى 15 ر.ع "
            "للكميات الكبيرة.\n"
            "المدة المتوقعة: خلال 3 أيام عمل من الحجز."
        ),
        "body_en": (
            "The service covers old furniture, household appliances and garden waste. "
            "It does not cover construction debris, which must be removed by a licensed "
            "contractor.\n"
            "Steps:\n"
            "1. Book through 1111, the i-Muscat app or the e-services portal.\n"
            "2. Describe the items, the approximate quantity and the house location.\n"
            "3. Choose a date and receive a confirmation SMS with a reference number.\n"
            "4. Place the items outside the house on the agreed day without blocking the "
            "road, and not before the evening before.\n"
            "5. The team collects the items.\n"
            "Required documents: none; the house number or location is enough.\n"
            "Fees (approximate): free for small household quantities; OMR 5-15 for "
            "larger loads.\n"
            "Expected time: within 3 working days of booking."
        ),
        "keywords_ar": [
            "مخلفات كبيرة",
            "اثاث قديم",
            "نقل الاثاث",
            "ثلاجة قديمة",
            "سعف",
            "مخلفات الحديقة",
            "حجز سيارة",
            "اغراض قديمة",
        ],
        "keywords_en": [
            "bulky waste",
            "old furniture",
            "large items",
            "appliances",
            "garden waste",
            "pick-up",
            "pickup",
            "book collection",
        ],
    },
    {
        "slug": "tree-cutting-permit",
        "title_ar": "تصريح قطع أو تقليم الأشجار",
        "title_en": "Tree cutting or pruning permit",
        "body_ar": (
            "يلزم التصريح لقطع الأشجار الواقعة في الأماكن العامة أو على حدود العقار، "
            "ويعد القطع دون تصريح مخالفة.\n"
            "الخطوات:\n"
            "1. تقديم الطلب عبر بوابة الخدمات الإلكترونية أو مركز الخدمة، مع ذكر نوع "
            "الأشجار وعددها وموقعها وسبب الطلب.\n"
            "2. إرفاق صور واضحة للأشجار.\n"
            "3. يعاين فريق التشجير الموقع.\n"
            "4. تصدر الموافقة بشروط، مثل زراعة شجرة بديلة.\n"
            "5. سداد الرسوم وتنفيذ العمل عبر مقاول معتمد، وتتولى البلدية الأشجار الخطرة "
            "في الأماكن العامة.\n"
            "المستندات المطلوبة: البطاقة الشخصية، ما يثبت الملكية أو الإيجار، الصور، "
            "موقع العقار.\n"
            "الرسوم (تقريبية): من 5 إلى 20 ر.ع للشجرة.\n"
            "المدة المتوقعة: من 5 إلى 7 أيام عمل."
        ),
        "body_en": (
            "A permit is needed to cut trees in public places or on a property boundary; "
            "cutting without a permit is a violation.\n"
            "Steps:\n"
            "1. Apply on the e-services portal or at a service centre, stating the tree "
            "type, number, location and reason.\n"
            "2. Attach clear photos of the trees.\n"
            "3. The landscaping team inspects the site.\n"
            "4. Approval is issued with conditions, such as planting a replacement.\n"
            "5. Pay the fee and have the work done by an approved contractor; the "
            "municipality handles dangerous trees in public places itself.\n"
            "Required documents: ID card, proof of ownership or tenancy, photos, "
            "property location.\n"
            "Fees (approximate): OMR 5-20 per tree.\n"
            "Expected time: 5-7 working days."
        ),
        "keywords_ar": [
            "قطع شجرة",
            "قطع الاشجار",
            "تقليم",
            "تصريح شجرة",
            "ازالة شجرة",
            "نخلة",
            "اشجار",
        ],
        "keywords_en": [
            "tree cutting",
            "cut a tree",
            "tree removal",
            "pruning",
            "tree permit",
            "palm tree",
            "trees",
        ],
    },
    {
        "slug": "advertising-board-permit",
        "title_ar": "تصريح اللوحات الإعلانية واللوحات التجارية",
        "title_en": "Advertising and shop sign permit",
        "body_ar": (
            "يجب أن يكون النص العربي بارزاً في اللوحة، ويمكن إضافة نص بلغة أخرى.\n"
            "الخطوات:\n"
            "1. إعداد تصميم اللوحة موضحاً فيه النص والأبعاد والألوان وطريقة التثبيت.\n"
            "2. تقديم الطلب عبر بوابة الخدمات الإلكترونية مع رقم الترخيص البلدي.\n"
            "3. سداد رسوم الدراسة.\n"
            "4. يعاين المفتش الموقع للتأكد من ملاءمته.\n"
            "5. سداد الرسوم السنوية وتركيب اللوحة بالأبعاد المعتمدة فقط.\n"
            "المستندات المطلوبة: ترخيص بلدي ساري، السجل التجاري، تصميم اللوحة بالمقاسات، "
            "صورة لواجهة المحل، موافقة مالك المبنى.\n"
            "الرسوم (تقريبية): نحو 5 ر.ع للمتر المربع سنوياً، بحد أدنى 20 ر.ع تقريباً.\n"
            "المدة المتوقعة: نحو 5 أيام عمل."
        ),
        "body_en": (
            "The Arabic text must be prominent on the sign; another language may be "
            "added.\n"
            "Steps:\n"
            "1. Prepare the sign design showing the text, dimensions, colours and "
            "mounting method.\n"
            "2. Apply on the e-services portal with your municipal licence number.\n"
            "3. Pay the review fee.\n"
            "4. An inspector checks the site.\n"
            "5. Pay the annual fee and install the sign only at the approved size.\n"
            "Required documents: valid municipal licence, commercial registration, "
            "design with measurements, photo of the shop front, building owner's "
            "consent.\n"
            "Fees (approximate): about OMR 5 per square metre per year, with a minimum "
            "of around OMR 20.\n"
            "Expected time: about 5 working days."
        ),
        "keywords_ar": [
            "لوحة اعلانية",
            "لوحة المحل",
            "لافتة",
            "تصريح اعلان",
            "اعلانات",
            "لوحة تجارية",
        ],
        "keywords_en": [
            "advertising board",
            "shop sign",
            "signboard",
            "billboard",
            "advertising permit",
            "banner",
        ],
    },
    {
        "slug": "event-tent-permit",
        "title_ar": "تصريح نصب الخيام وإقامة الفعاليات",
        "title_en": "Tent and event permit",
        "body_ar": (
            "الخطوات:\n"
            "1. تقديم الطلب عبر بوابة الخدمات الإلكترونية أو مركز الخدمة قبل الفعالية "
            "بسبعة أيام عمل على الأقل.\n"
            "2. تحديد نوع المناسبة (زواج، عزاء، فعالية مجتمعية) والموقع والتواريخ "
            "ومساحة الخيمة.\n"
            "3. إرفاق المستندات المطلوبة.\n"
            "4. سداد الرسوم ومبلغ التأمين المسترد.\n"
            "5. إزالة الخيمة وتنظيف الموقع في نهاية المدة، ويعاد التأمين بعد المعاينة.\n"
            "طلبات خيام العزاء تعالج عادة في نفس يوم العمل عبر 1111.\n"
            "المستندات المطلوبة: البطاقة الشخصية، موقع الخيمة، موافقة مالك الأرض، "
            "موافقة الدفاع المدني للفعاليات الكبيرة.\n"
            "الرسوم (تقريبية): من 10 إلى 30 ر.ع للخيمة العائلية، وتأمين من 50 إلى 100 ر.ع "
            "للفعاليات العامة.\n"
            "المدة المتوقعة: من 3 إلى 5 أيام عمل."
        ),
        "body_en": (
            "Steps:\n"
            "1. Apply on the e-services portal or at a service centre at least 7 "
            "working days before the event.\n"
            "2. State the type of occasion (wedding, condolence, community event), the "
            "location, dates and tent size.\n"
            "3. Attach the required documents.\n"
            "4. Pay the fee and the refundable deposit.\n"
            "5. Remove the tent and clean the site at the end; the deposit is returned "
            "after a check.\n"
            "Condolence tent requests are usually handled the same working day via 1111.\n"
            "Required documents: ID card, tent location, landowner's consent, civil "
            "defence approval for large events.\n"
            "Fees (approximate): OMR 10-30 for a family tent; deposit OMR 50-100 for "
            "public events.\n"
            "Expected time: 3-5 working days."
        ),
        "keywords_ar": [
            "خيمة",
            "تصريح خيمة",
            "خيمة عزاء",
            "خيمة زواج",
            "فعالية",
            "مناسبة",
            "تصريح فعالية",
        ],
        "keywords_en": [
            "tent",
            "tent permit",
            "event permit",
            "wedding tent",
            "condolence tent",
            "event",
            "gathering",
        ],
    },
    {
        "slug": "parking-fines",
        "title_ar": "الاستعلام عن مخالفات المواقف وسدادها",
        "title_en": "Parking fines: enquiry and payment",
        "body_ar": (
            "الخطوات:\n"
            "1. فتح بوابة الخدمات الإلكترونية أو تطبيق i-Muscat واختيار خدمة مخالفات "
            "المواقف.\n"
            "2. إدخال رقم لوحة المركبة ورمزها.\n"
            "3. مراجعة قائمة المخالفات مع التاريخ والموقع والمبلغ.\n"
            "4. السداد بالبطاقة البنكية إلكترونياً أو في أحد مراكز الخدمة.\n"
            "5. الاحتفاظ بإيصال السداد.\n"
            "للاعتراض على مخالفة: يقدم الاعتراض خلال 30 يوماً من تاريخها مع الإثباتات.\n"
            "المستندات المطلوبة: لا شيء للسداد؛ وللاعتراض البطاقة الشخصية والصور "
            "والمستندات الداعمة.\n"
            "الرسوم (تقريبية): المخالفة بين 5 و20 ر.ع حسب نوعها، وتزيد مخالفة الوقوف في "
            "مواقف ذوي الإعاقة.\n"
            "المدة المتوقعة: السداد فوري، والرد على الاعتراض خلال 10 أيام عمل."
        ),
        "body_en": (
            "Steps:\n"
            "1. Open the e-services portal or the i-Muscat app and choose Parking "
            "Fines.\n"
            "2. Enter the vehicle plate number and code letters.\n"
            "3. Review the list of fines with date, location and amount.\n"
            "4. Pay online by bank card, or at a service centre.\n"
            "5. Keep the payment receipt.\n"
            "To dispute a fine: submit an objection within 30 days of the fine, with "
            "your evidence.\n"
            "Required documents: none to pay; for an objection, ID card, photos and "
            "supporting papers.\n"
            "Fees (approximate): fines of OMR 5-20 depending on the violation; parking "
            "in a disabled bay costs more.\n"
            "Expected time: payment is immediate; objections are answered within 10 "
            "working days."
        ),
        "keywords_ar": [
            "مخالفة موقف",
            "مخالفات المواقف",
            "غرامة موقف",
            "سداد مخالفة",
            "اعتراض",
            "المواقف المدفوعة",
            "رقم اللوحة",
        ],
        "keywords_en": [
            "parking fine",
            "parking ticket",
            "pay fine",
            "parking violation",
            "dispute fine",
            "paid parking",
            "plate number",
        ],
    },
    {
        "slug": "facility-booking",
        "title_ar": "حجز القاعات والمرافق في الحدائق",
        "title_en": "Booking a municipality hall or park facility",
        "body_ar": (
            "يمكن حجز القاعات ومناطق الجلوس المظللة والملاعب في بعض الحدائق العامة.\n"
            "الخطوات:\n"
            "1. التحقق من التوفر في بوابة الخدمات الإلكترونية.\n"
            "2. اختيار التاريخ والفترة وإدخال بيانات المنظم.\n"
            "3. سداد رسوم الحجز والتأمين المسترد خلال 48 ساعة، وإلا يلغى الحجز.\n"
            "4. استلام تأكيد برقم المرجع وإبرازه عند الدخول.\n"
            "5. ترك المرفق نظيفاً، ويعاد التأمين خلال 10 أيام عمل.\n"
            "المستندات المطلوبة: البطاقة الشخصية، وخطاب من الجهة للشركات والجمعيات.\n"
            "الرسوم (تقريبية): القاعة من 50 إلى 150 ر.ع لليوم، والجلسة في الحديقة من 5 "
            "إلى 10 ر.ع للفترة، والتأمين من 20 إلى 100 ر.ع.\n"
            "المدة المتوقعة: تأكيد فوري عند الحجز الإلكتروني."
        ),
        "body_en": (
            "Halls, shaded seating areas and sports courts in some public parks can be "
            "booked.\n"
            "Steps:\n"
            "1. Check availability on the e-services portal.\n"
            "2. Choose the date and time slot and enter the organiser's details.\n"
            "3. Pay the booking fee and the refundable deposit within 48 hours, or the "
            "booking is cancelled.\n"
            "4. Receive a confirmation with a reference number and show it on arrival.\n"
            "5. Leave the facility clean; the deposit is refunded within 10 working "
            "days.\n"
            "Required documents: ID card; a letter from the organisation for companies "
            "and associations.\n"
            "Fees (approximate): hall OMR 50-150 per day; park seating area OMR 5-10 "
            "per session; deposit OMR 20-100.\n"
            "Expected time: instant confirmation when booked online."
        ),
        "keywords_ar": [
            "حجز قاعة",
            "قاعة",
            "حجز حديقة",
            "جلسة",
            "ملعب",
            "حجز مرفق",
            "مناسبة",
        ],
        "keywords_en": [
            "book a hall",
            "hall booking",
            "park booking",
            "facility",
            "bbq area",
            "sports court",
            "venue",
        ],
    },
    {
        "slug": "street-vendor-licence",
        "title_ar": "ترخيص الباعة المتجولين والعربات المتنقلة",
        "title_en": "Street vendor and mobile cart licence",
        "body_ar": (
            "الخطوات:\n"
            "1. تقديم الطلب عبر بوابة الخدمات الإلكترونية مع تحديد النشاط (عربة طعام، "
            "عربة قهوة، بيع خضار وفواكه) والمواقع المقترحة.\n"
            "2. إرفاق المستندات المطلوبة.\n"
            "3. فحص العربة من قبل مفتشي الصحة والأسواق.\n"
            "4. سداد الرسوم.\n"
            "5. استلام الترخيص والملصق ووضعه على العربة، والعمل في المواقع والأوقات "
            "المسموح بها فقط.\n"
            "المستندات المطلوبة: البطاقة الشخصية، ملكية المركبة لعربات الطعام، "
            "البطاقات الصحية للعاملين، صور للعربة.\n"
            "الرسوم (تقريبية): من 20 إلى 60 ر.ع سنوياً.\n"
            "المدة المتوقعة: من 7 إلى 10 أيام عمل.\n"
            "البيع دون ترخيص أو خارج الموقع المحدد يعرض البائع لمصادرة البضاعة والغرامة."
        ),
        "body_en": (
            "Steps:\n"
            "1. Apply on the e-services portal, stating the activity (food truck, coffee "
            "cart, fruit and vegetable selling) and the proposed locations.\n"
            "2. Attach the required documents.\n"
            "3. The cart is inspected by health and markets inspectors.\n"
            "4. Pay the fee.\n"
            "5. Receive the licence and sticker, display it on the cart, and trade only "
            "in the permitted places and hours.\n"
            "Required documents: ID card, vehicle registration for food trucks, health "
            "cards for the workers, photos of the cart.\n"
            "Fees (approximate): OMR 20-60 per year.\n"
            "Expected time: 7-10 working days.\n"
            "Selling without a licence or outside the permitted site can lead to "
            "confiscation of goods and a fine."
        ),
        "keywords_ar": [
            "بائع متجول",
            "باعة متجولين",
            "عربة طعام",
            "عربة قهوة",
            "ترخيص عربة",
            "فود ترك",
            "بسطة",
        ],
        "keywords_en": [
            "street vendor",
            "vendor licence",
            "food truck",
            "coffee cart",
            "mobile cart",
            "hawker licence",
            "kiosk",
        ],
    },
    {
        "slug": "pest-control-request",
        "title_ar": "طلب خدمة مكافحة الحشرات والقوارض",
        "title_en": "Requesting pest control",
        "body_ar": (
            "الخطوات:\n"
            "1. تقديم الطلب عبر 1111 أو تطبيق i-Muscat أو بوابة الخدمات الإلكترونية.\n"
            "2. تحديد نوع الآفة (بعوض، ذباب، قوارض، صراصير) والموقع، وهل هي داخل "
            "المنزل أو في مكان عام.\n"
            "3. استلام رقم المرجع برسالة نصية.\n"
            "4. يعاين الفريق الموقع ويقوم بالرش أو وضع الطعوم، ويعالج مصادر المياه "
            "الراكدة في حالة البعوض.\n"
            "5. اتباع تعليمات السلامة وإبعاد الأطفال والحيوانات الأليفة لبضع ساعات.\n"
            "المستندات المطلوبة: لا يوجد، ويلزم وجود شخص في المنزل عند الزيارة.\n"
            "الرسوم (تقريبية): مجانية في الأماكن العامة، ومن 5 إلى 15 ر.ع للزيارة داخل "
            "المنازل. النمل الأبيض يحتاج شركة خاصة مرخصة.\n"
            "المدة المتوقعة: خلال 3 أيام عمل، وأسرع في حالات الانتشار."
        ),
        "body_en": (
            "Steps:\n"
            "1. Request the service through 1111, the i-Muscat app or the e-services "
            "portal.\n"
            "2. State the pest (mosquitoes, flies, rodents, cockroaches), the location "
            "and whether it is inside a home or in a public place.\n"
            "3. Receive a reference number by SMS.\n"
            "4. The team inspects and sprays or places bait; for mosquitoes it also "
            "treats standing water.\n"
            "5. Follow the safety instructions and keep children and pets away for a few "
            "hours.\n"
            "Required documents: none; someone must be at home during the visit.\n"
            "Fees (approximate): free in public places; OMR 5-15 per visit inside homes. "
            "Termites need a licensed private company.\n"
            "Expected time: within 3 working days; faster for outbreaks."
        ),
        "keywords_ar": [
            "مكافحة الحشرات",
            "رش مبيد",
            "بعوض",
            "ناموس",
            "فئران",
            "صراصير",
            "ذباب",
            "قوارض",
        ],
        "keywords_en": [
            "pest control",
            "spraying",
            "fogging",
            "mosquitoes",
            "rats",
            "cockroaches",
            "flies",
            "rodents",
        ],
    },
    {
        "slug": "complaint-follow-up",
        "title_ar": "متابعة البلاغ برقم المرجع",
        "title_en": "Following up a complaint with its reference number",
        "body_ar": (
            "الخطوات:\n"
            "1. احتفظ برقم البلاغ الذي وصلك برسالة نصية عند تسجيله.\n"
            "2. تابع حالة البلاغ في بوابة الخدمات الإلكترونية أو تطبيق i-Muscat بإدخال "
            "رقم البلاغ ورقم الهاتف.\n"
            "3. أو اتصل على 1111 واختر خدمة متابعة البلاغات واذكر رقم البلاغ.\n"
            "4. حالات البلاغ: مسجل، محال إلى الجهة المختصة، قيد المعالجة، تم الحل، مغلق.\n"
            "5. إذا أغلق البلاغ والمشكلة ما زالت قائمة، اطلب إعادة فتحه خلال 7 أيام "
            "بنفس الرقم.\n"
            "الملاحظات المحالة إلى جهات أخرى (الاتصالات، المياه، حماية المستهلك، "
            "السياحة) تتابع مباشرة مع تلك الجهة كما هو موضح في الرسالة النصية.\n"
            "المستندات المطلوبة: رقم البلاغ ورقم الهاتف المسجل.\n"
            "الرسوم: مجانية.\n"
            "المدة المتوقعة: حسب نوع البلاغ، وأغلبها خلال 3 أيام عمل."
        ),
        "body_en": (
            "Steps:\n"
            "1. Keep the report number sent to you by SMS when the report was "
            "registered.\n"
            "2. Check the status on the e-services portal or in the i-Muscat app by "
            "entering the report number and your phone number.\n"
            "3. Or call 1111, choose the follow-up option and give the report number.\n"
            "4. Statuses: Registered, Transferred to the competent department, In "
            "progress, Resolved, Closed.\n"
            "5. If the report was closed but the problem remains, ask to reopen it "
            "within 7 days, quoting the same number.\n"
            "Remarks forwarded to other bodies (telecom, water, consumer protection, "
            "tourism) are followed up directly with that body, as stated in the SMS.\n"
            "Required: the report number and the registered phone number.\n"
            "Fees: free.\n"
            "Expected time: depends on the report type; most are handled within 3 "
            "working days."
        ),
        "keywords_ar": [
            "متابعة البلاغ",
            "رقم البلاغ",
            "رقم المرجع",
            "حالة البلاغ",
            "حالة الشكوى",
            "اعادة فتح",
            "متابعة الشكوى",
        ],
        "keywords_en": [
            "follow up",
            "reference number",
            "report number",
            "complaint status",
            "track my report",
            "reopen",
            "ticket status",
        ],
    },
]

# ---------------------------------------------------------------------------
# The tourism desk (the Ministry of Tourism's contact line run by the center).
# Visitors write English more often than residents: every article is complete
# in English, not a summary of the Arabic.
# ---------------------------------------------------------------------------

TOURISM_ARTICLES: list[ArticleData] = [
    {
        "slug": "tourism-rate-an-establishment",
        "title_ar": "تقييم منشأة سياحية أو تقديم شكوى عليها",
        "title_en": "Rating a hotel, tour operator, restaurant or site, or complaining about it",
        "body_ar": (
            "يمكنك تقييم أي فندق أو شركة سياحية أو مطعم أو موقع سياحي من 1 إلى 5 "
            "وكتابة تعليقك من صفحة خط السياحة في الموقع (السياحة ← قيّم مكاناً زرته).\n"
            "إذا كانت لديك شكوى تريد متابعتها، اختر «هذه شكوى» واكتب رقم هاتفك: "
            "تسجل الشكوى ويصلك رقمها برسالة نصية، ويتابعها مركز اتصال السياحة مع الجهة المعنية.\n"
            "تطلع وزارة السياحة على التقييمات والشكاوى لكل منشأة على مدى الأشهر."
        ),
        "body_en": (
            "You can rate any hotel, tour operator, restaurant or tourist site from 1 to 5 "
            "and leave a comment on the tourism contact page of the website (Tourism → "
            "Rate a place you visited).\n"
            "If you have a complaint you want followed up, tick “This is a complaint” and "
            "give your mobile number: the complaint is registered, its number is sent to "
            "you by SMS, and the tourism contact center follows it up with the "
            "establishment.\n"
            "The Ministry of Tourism reviews every establishment's ratings and complaints "
            "month by month."
        ),
        "keywords_ar": ["تقييم فندق", "تقييم مطعم", "شكوى فندق", "منشأة سياحية", "تقييم"],
        "keywords_en": [
            "rate hotel",
            "review",
            "rating",
            "complain about hotel",
            "tour operator",
            "restaurant",
        ],
    },
    {
        "slug": "tourism-suggestion",
        "title_ar": "تقديم اقتراح لوزارة السياحة",
        "title_en": "Sending a suggestion to the Ministry of Tourism",
        "body_ar": (
            "نرحب باقتراحاتك لتحسين زيارة السياح: المواقع، الإرشادات واللوحات، "
            "المواصلات، الفعاليات، والخدمات في المواقع.\n"
            "اكتب اقتراحك من صفحة خط السياحة (أرسل اقتراحاً) واختر موضوعه. "
            "تصنف الاقتراحات حسب الموضوع وتصل إلى مسؤولي الوزارة بمعزل عن الشكاوى."
        ),
        "body_en": (
            "Your ideas to make visits better are welcome: sites, signs and guides, "
            "transport, events, and services at the sites.\n"
            "Write your suggestion on the tourism contact page (Send a suggestion) and "
            "choose its topic. Suggestions are classified by topic and reach the "
            "Ministry's officials separately from complaints."
        ),
        "keywords_ar": ["اقتراح", "مقترح", "فكرة", "اقتراح سياحي"],
        "keywords_en": ["suggestion", "suggest", "idea", "improve", "proposal"],
    },
    {
        "slug": "tourism-visiting-forts",
        "title_ar": "زيارة القلاع والحصون والمواقع الأثرية",
        "title_en": "Visiting forts, castles and heritage sites",
        "body_ar": (
            "تفتح معظم القلاع والحصون يومياً من الساعة 8:30 صباحاً إلى 4:30 مساءً، "
            "ويوم الجمعة من 8:00 إلى 11:00 صباحاً (قد تختلف المواعيد في المناسبات).\n"
            "رسوم الدخول تقريبية: 500 بيسة للمقيمين والمواطنين و2 ر.ع للزوار، "
            "والدخول مجاني للأطفال دون 12 سنة.\n"
            "يرجى ارتداء لباس محتشم وعدم لمس المقتنيات. للاستفسار عن موقع بعينه "
            "اكتب «موظف» للتحدث مع مركز اتصال السياحة."
        ),
        "body_en": (
            "Most forts and castles open daily from 8:30 am to 4:30 pm, and on Fridays "
            "from 8:00 to 11:00 am (hours may change on public holidays).\n"
            "Entry fees are about 500 baisa for citizens and residents and OMR 2 for "
            "visitors; children under 12 enter free.\n"
            "Please dress modestly and do not touch the exhibits. For a particular site, "
            "write “agent” to talk to the tourism contact center."
        ),
        "keywords_ar": ["قلعة", "حصن", "موقع أثري", "مواعيد القلعة", "رسوم الدخول"],
        "keywords_en": [
            "fort",
            "castle",
            "heritage site",
            "opening hours",
            "entry fee",
            "ticket price",
        ],
    },
]

ARTICLES += TOURISM_ARTICLES
