"""The built-in words of every notification, in Arabic and English.

``demo_setup`` copies them into ``NotificationTemplate`` rows that
administrators edit; a deployment without rows still sends these. ``sms`` is
the short form (SMS and the citizen's own chat channel), ``email`` the long
form (e-mail and fax) with its ``subject``.
"""

from __future__ import annotations

from typing import TypedDict


class Words(TypedDict):
    sms: str
    subject: str
    email: str


_SIGN_AR = "\n\nمع التحية،\nمركز الاتصال 1111 – بلدية مسقط"
_SIGN_EN = "\n\nKind regards,\nContact Center 1111 – Muscat Municipality"

DEFAULTS: dict[str, dict[str, Words]] = {
    "ticket_registered": {
        "ar": {
            "sms": (
                "بلدية مسقط: تم تسجيل بلاغكم رقم {{ reference }}. "
                "للمتابعة: {{ status_url }} أو 1111."
            ),
            "subject": "تسجيل بلاغكم رقم {{ reference }}",
            "email": (
                "السلام عليكم {{ citizen_name }}،\n\n"
                "شكراً لتواصلكم مع مركز الاتصال 1111 في بلدية مسقط. تم تسجيل بلاغكم:\n\n"
                "رقم البلاغ: {{ reference }}\nالموضوع: {{ subject }}\nالتصنيف: {{ category }}\n\n"
                "سنبلغكم بكل تقدم في معالجته. يمكنكم متابعة حالته في أي وقت عبر "
                "{{ status_url }} أو بالاتصال على 1111 مع ذكر رقم البلاغ." + _SIGN_AR
            ),
        },
        "en": {
            "sms": (
                "Muscat Municipality: your report {{ reference }} is registered. "
                "Follow it at {{ status_url }} or call 1111."
            ),
            "subject": "Your report {{ reference }} is registered",
            "email": (
                "Dear {{ citizen_name|default:'citizen' }},\n\n"
                "Thank you for contacting Muscat Municipality's contact center 1111. "
                "Your report is registered:\n\n"
                "Reference: {{ reference }}\nSubject: {{ subject }}\nCategory: {{ category }}\n\n"
                "We will tell you about every step. You can follow it at any time at "
                "{{ status_url }} or by calling 1111 with the reference." + _SIGN_EN
            ),
        },
    },
    "forwarded_to_section": {
        "ar": {
            "sms": (
                "بلدية مسقط: أحيل بلاغكم {{ reference }} إلى {{ section }} "
                "({{ directorate }}) وسنبلغكم عند حله."
            ),
            "subject": "إحالة بلاغكم رقم {{ reference }} إلى الجهة المختصة",
            "email": (
                "السلام عليكم {{ citizen_name }}،\n\n"
                "أحيل بلاغكم رقم {{ reference }} ({{ subject }}) إلى {{ section }} "
                "في {{ directorate }} لمعالجته. سنبلغكم فور حله، ويمكنكم متابعة حالته عبر "
                "{{ status_url }}." + _SIGN_AR
            ),
        },
        "en": {
            "sms": (
                "Muscat Municipality: report {{ reference }} has been forwarded to "
                "{{ section }} ({{ directorate }}). We will tell you when it is solved."
            ),
            "subject": "Your report {{ reference }} went to the competent section",
            "email": (
                "Dear {{ citizen_name|default:'citizen' }},\n\n"
                "Your report {{ reference }} ({{ subject }}) has been forwarded to "
                "{{ section }}, {{ directorate }}. We will tell you as soon as it is solved; "
                "you can follow it at {{ status_url }}." + _SIGN_EN
            ),
        },
    },
    "forwarded_to_partner": {
        "ar": {
            "sms": (
                "بلدية مسقط: بلاغكم رقم {{ reference }} من اختصاص {{ partner }} وقد أحيل "
                "إليها. {{ follow_up|default:'يرجى متابعته معها مباشرة من الآن.' }}"
            ),
            "subject": "إحالة بلاغكم رقم {{ reference }} إلى {{ partner }}",
            "email": (
                "السلام عليكم {{ citizen_name }}،\n\n"
                "بلاغكم رقم {{ reference }} ({{ subject }}) من اختصاص {{ partner }}، "
                "وقد أحلناه إليها إلكترونياً.\n\n"
                "{{ follow_up|default:'يرجى متابعته معها مباشرة من الآن.' }}" + _SIGN_AR
            ),
        },
        "en": {
            "sms": (
                "Muscat Municipality: report {{ reference }} concerns {{ partner }} and was "
                "forwarded to them. {{ follow_up|default:'Please follow up with them directly.' }}"
            ),
            "subject": "Your report {{ reference }} was forwarded to {{ partner }}",
            "email": (
                "Dear {{ citizen_name|default:'citizen' }},\n\n"
                "Your report {{ reference }} ({{ subject }}) is a matter for {{ partner }}; "
                "we have forwarded it to them electronically.\n\n"
                "{{ follow_up|default:'Please follow up with them directly from now on.' }}"
                + _SIGN_EN
            ),
        },
    },
    "partner_case": {
        "ar": {
            "sms": (
                "بلدية مسقط 1111: بلاغ محال إليكم رقم {{ reference }}: {{ subject }}. "
                "الموقع: {{ address|default:'-' }}. المبلغ: {{ citizen_phone|default:'-' }}"
            ),
            "subject": "بلاغ محال من بلدية مسقط رقم {{ reference }}",
            "email": (
                "السادة {{ partner }} المحترمون،\n\n"
                "أحال مركز الاتصال 1111 في بلدية مسقط إليكم البلاغ التالي لاختصاصكم به:\n\n"
                "رقم البلاغ: {{ reference }}\nالموضوع: {{ subject }}\nالتفاصيل: {{ description }}\n"
                "الموقع: {{ address|default:'-' }}\n"
                "المبلغ: {{ citizen_name|default:'-' }} – {{ citizen_phone|default:'-' }}\n"
                "ملاحظة المركز: {{ note|default:'-' }}\n\n"
                "أُبلغ المواطن بمتابعة البلاغ معكم. للرد على البلاغ: {{ ticket_url }}" + _SIGN_AR
            ),
        },
        "en": {
            "sms": (
                "Muscat Municipality 1111: case {{ reference }} forwarded to you: {{ subject }}. "
                "Location: {{ address|default:'-' }}. Caller: {{ citizen_phone|default:'-' }}"
            ),
            "subject": "Case {{ reference }} forwarded by Muscat Municipality",
            "email": (
                "Dear {{ partner }},\n\n"
                "Muscat Municipality's contact center 1111 forwards you this case, which is "
                "within your remit:\n\n"
                "Reference: {{ reference }}\nSubject: {{ subject }}\nDetails: {{ description }}\n"
                "Location: {{ address|default:'-' }}\n"
                "Caller: {{ citizen_name|default:'-' }} – {{ citizen_phone|default:'-' }}\n"
                "Note from the center: {{ note|default:'-' }}\n\n"
                "The caller was told to follow up with you. Answer the case at {{ ticket_url }}"
                + _SIGN_EN
            ),
        },
    },
    "resolved": {
        "ar": {
            "sms": (
                "بلدية مسقط: تمت معالجة بلاغكم رقم {{ reference }}. "
                "{{ note|truncatechars:120 }} شكراً لتواصلكم مع 1111."
            ),
            "subject": "تمت معالجة بلاغكم رقم {{ reference }}",
            "email": (
                "السلام عليكم {{ citizen_name }}،\n\n"
                "يسعدنا إبلاغكم بأن بلاغكم رقم {{ reference }} ({{ subject }}) قد تمت "
                "معالجته.\n\n{{ note }}\n\n"
                "إن لم تُحل المشكلة فاتصلوا على 1111 مع ذكر رقم البلاغ." + _SIGN_AR
            ),
        },
        "en": {
            "sms": (
                "Muscat Municipality: your report {{ reference }} has been solved. "
                "{{ note|truncatechars:120 }} Thank you for contacting 1111."
            ),
            "subject": "Your report {{ reference }} has been solved",
            "email": (
                "Dear {{ citizen_name|default:'citizen' }},\n\n"
                "We are glad to tell you that your report {{ reference }} ({{ subject }}) "
                "has been solved.\n\n{{ note }}\n\n"
                "If the problem remains, call 1111 with the reference." + _SIGN_EN
            ),
        },
    },
    "closed": {
        "ar": {
            "sms": (
                "بلدية مسقط: أُغلق البلاغ رقم {{ reference }}. شكراً لكم، "
                "ولإعادة فتحه اتصلوا على 1111."
            ),
            "subject": "إغلاق البلاغ رقم {{ reference }}",
            "email": (
                "السلام عليكم {{ citizen_name }}،\n\n"
                "أُغلق البلاغ رقم {{ reference }} ({{ subject }}). شكراً لمساهمتكم في خدمة "
                "مدينتكم. إن احتجتم إلى إعادة فتحه فاتصلوا على 1111 مع ذكر رقمه." + _SIGN_AR
            ),
        },
        "en": {
            "sms": (
                "Muscat Municipality: report {{ reference }} is now closed. Thank you. "
                "To reopen it, call 1111."
            ),
            "subject": "Report {{ reference }} is closed",
            "email": (
                "Dear {{ citizen_name|default:'citizen' }},\n\n"
                "Report {{ reference }} ({{ subject }}) is now closed. Thank you for helping "
                "us look after your city. To reopen it, call 1111 with the reference." + _SIGN_EN
            ),
        },
    },
    "reminder": {
        "ar": {
            "sms": (
                "نداء: تذكير – البلاغ {{ reference }} لدى {{ section }} يستحق الحل في {{ due }}."
            ),
            "subject": "تذكير: البلاغ {{ reference }} يستحق الحل في {{ due }}",
            "email": (
                "تذكير من نظام نداء:\n\n"
                "البلاغ رقم {{ reference }} ({{ category }}) لدى {{ section }} يستحق الحل في "
                "{{ due }}.\nالموضوع: {{ subject }}\nالحالة: {{ status }}\n\n{{ ticket_url }}"
            ),
        },
        "en": {
            "sms": "Nidaa: reminder - ticket {{ reference }} at {{ section }} is due {{ due }}.",
            "subject": "Reminder: ticket {{ reference }} is due {{ due }}",
            "email": (
                "Reminder from Nidaa:\n\n"
                "Ticket {{ reference }} ({{ category }}) at {{ section }} is due to be solved "
                "by {{ due }}.\nSubject: {{ subject }}\nStatus: {{ status }}\n\n{{ ticket_url }}"
            ),
        },
    },
    "escalation": {
        "ar": {
            "sms": "نداء: تصعيد – تجاوز البلاغ {{ reference }} لدى {{ section }} موعده {{ due }}.",
            "subject": "تصعيد: البلاغ {{ reference }} تجاوز موعد الحل",
            "email": (
                "تصعيد من نظام نداء:\n\n"
                "تجاوز البلاغ رقم {{ reference }} ({{ category }}) لدى {{ section }} موعد "
                "الحل المحدد {{ due }}.\nالموضوع: {{ subject }}\nالحالة: {{ status }}\n\n"
                "{{ ticket_url }}"
            ),
        },
        "en": {
            "sms": "Nidaa: escalation - ticket {{ reference }} at {{ section }} passed {{ due }}.",
            "subject": "Escalation: ticket {{ reference }} is overdue",
            "email": (
                "Escalation from Nidaa:\n\n"
                "Ticket {{ reference }} ({{ category }}) at {{ section }} passed its resolution "
                "target of {{ due }}.\nSubject: {{ subject }}\nStatus: {{ status }}\n\n"
                "{{ ticket_url }}"
            ),
        },
    },
    "callback_due": {
        "ar": {
            "sms": (
                "نداء: البلاغ {{ reference }} محلول بانتظار اتصالكم بالمواطن على "
                "{{ citizen_phone|default:'-' }}."
            ),
            "subject": "اتصال بالمواطن مستحق: البلاغ {{ reference }}",
            "email": (
                "تذكير من نظام نداء:\n\n"
                "البلاغ رقم {{ reference }} ({{ subject }}) تم حله منذ {{ resolved }} "
                "وينتظر اتصالكم بالمواطن {{ citizen_name|default:'' }} على "
                "{{ citizen_phone|default:'-' }} لإبلاغه بالنتيجة ثم إغلاقه.\n\n{{ ticket_url }}"
            ),
        },
        "en": {
            "sms": (
                "Nidaa: ticket {{ reference }} is solved and waits for your call-back on "
                "{{ citizen_phone|default:'-' }}."
            ),
            "subject": "Call-back due: ticket {{ reference }}",
            "email": (
                "Reminder from Nidaa:\n\n"
                "Ticket {{ reference }} ({{ subject }}) was solved at {{ resolved }} and waits "
                "for your call to {{ citizen_name|default:'the citizen' }} on "
                "{{ citizen_phone|default:'-' }} before it is closed.\n\n{{ ticket_url }}"
            ),
        },
    },
    "phone_code": {
        "ar": {
            "sms": (
                "بلدية مسقط: رمز التحقق من رقمكم هو {{ code }} (صالح 10 دقائق) للبلاغ "
                "{{ reference }}. لا تشاركوه مع أحد. إن لم تطلبوه فتجاهلوا هذه الرسالة."
            ),
            "subject": "رمز التحقق من رقمكم: {{ code }}",
            "email": (
                "رمز التحقق من رقمكم هو {{ code }} (صالح 10 دقائق) للبلاغ {{ reference }}. "
                "لا تشاركوه مع أحد. إن لم تطلبوه فتجاهلوا هذه الرسالة." + _SIGN_AR
            ),
        },
        "en": {
            "sms": (
                "Muscat Municipality: your verification code is {{ code }} (valid 10 minutes) "
                "for report {{ reference }}. Do not share it. If you did not ask, ignore this."
            ),
            "subject": "Your verification code: {{ code }}",
            "email": (
                "Your verification code is {{ code }} (valid 10 minutes) for report "
                "{{ reference }}. Do not share it. If you did not ask, ignore this." + _SIGN_EN
            ),
        },
    },
}
