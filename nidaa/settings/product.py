"""The organisation's own settings: references, the portal, the distributor, the
scheduler, the classifier, social media and uploads."""

from __future__ import annotations

from helpdesk.env import env_bool, env_int, env_str

# Organisation-specific
NIDAA_REFERENCE_PREFIX = env_str("NIDAA_REFERENCE_PREFIX", "MCT")
NIDAA_PUBLIC_URL = env_str("NIDAA_PUBLIC_URL", "http://127.0.0.1:8000")
NIDAA_DEFAULT_PHONE_REGION = env_str("NIDAA_DEFAULT_PHONE_REGION", "OM")
# The public report form refuses submissions faster than a person can type (spam bots).
NIDAA_PORTAL_MIN_SECONDS = env_int("NIDAA_PORTAL_MIN_SECONDS", 3, minimum=0)

# Each web process runs the distributor's engine (helpdesk/acd.py); one leads per database.
NIDAA_ACD_ENGINE = env_bool("NIDAA_ACD_ENGINE", True)
# The leader's session (advisory lock, LISTEN) goes here when DATABASE_URL points at a
# pooler in transaction mode; empty: the same server as DATABASE_URL.
NIDAA_ACD_DATABASE_URL = env_str("NIDAA_ACD_DATABASE_URL", "")
# Seconds between the scheduler's service sweeps (SLA, stuck notifications, orphan uploads)
# and e-mail ingest runs (helpdesk/jobs.py); the distributor's clock ticks every 2 s.
NIDAA_SCHEDULER_INTERVAL = env_int("NIDAA_SCHEDULER_INTERVAL", 60, minimum=1)
# The scheduler e-mails yesterday's report to the supervisors at this hour (Asia/Muscat)
# when NIDAA_DAILY_REPORT_EMAIL is on (`manage.py report_daily` prints or sends any day).
NIDAA_DAILY_REPORT_EMAIL = env_bool("NIDAA_DAILY_REPORT_EMAIL", False)
NIDAA_DAILY_REPORT_HOUR = env_int("NIDAA_DAILY_REPORT_HOUR", 6, minimum=0, maximum=23)
# A Maildir the scheduler ingests e-mails from (what arrived in new/ since its last run);
# empty: e-mails come in by `manage.py email_ingest` only.
NIDAA_EMAIL_MAILDIR = env_str("NIDAA_EMAIL_MAILDIR", "")
# Days of past activity `demo_setup` writes for the demo (`demo_history`); 0: none.
NIDAA_DEMO_HISTORY_DAYS = env_int("NIDAA_DEMO_HISTORY_DAYS", 30, minimum=0)
# The category classifier (docs/assistant.md): a suggestion at least this probable (in
# percent) is pre-selected; below it the citizen or the agent chooses among the top three.
NIDAA_CLASSIFIER_CONFIDENCE = (
    env_int("NIDAA_CLASSIFIER_CONFIDENCE_PERCENT", 80, minimum=1, maximum=99) / 100
)
# The scheduler retrains the classifier once a night, from this hour (Asia/Muscat).
NIDAA_CLASSIFIER_TRAIN_HOUR = env_int("NIDAA_CLASSIFIER_TRAIN_HOUR", 2, minimum=0, maximum=23)

# Social media (social/, docs/social.md). App-level values here; each X account's
# and Facebook page's own token is read from the variable named in the admin.
NIDAA_X_API_URL = env_str("X_API_URL", "https://api.twitter.com")
NIDAA_X_CONSUMER_KEY = env_str("X_CONSUMER_KEY", "")
NIDAA_X_CONSUMER_SECRET = env_str("X_CONSUMER_SECRET", "")
NIDAA_FACEBOOK_GRAPH_URL = env_str("FACEBOOK_GRAPH_URL", "https://graph.facebook.com/")
NIDAA_FACEBOOK_GRAPH_VERSION = env_str("FACEBOOK_GRAPH_VERSION", "v25.0")
NIDAA_FACEBOOK_APP_SECRET = env_str("FACEBOOK_APP_SECRET", "")
NIDAA_FACEBOOK_VERIFY_TOKEN = env_str("FACEBOOK_VERIFY_TOKEN", "")
NIDAA_SOCIAL_MEDIA_MAX_BYTES = env_int(
    "SOCIAL_MEDIA_MAX_BYTES", 8 * 1024 * 1024, minimum=1024, maximum=50 * 1024 * 1024
)
NIDAA_SOCIAL_HTTP_TIMEOUT = env_int("SOCIAL_HTTP_TIMEOUT", 20, minimum=1, maximum=300)
# Replies leave through the one outbox: their attempts are NIDAA_NOTIFY_MAX_ATTEMPTS.
# Downloads of citizens' media, in the worker: tries per file and the first pause between them.
NIDAA_SOCIAL_MEDIA_ATTEMPTS = env_int("SOCIAL_MEDIA_ATTEMPTS", 3, minimum=1, maximum=10)
NIDAA_SOCIAL_MEDIA_RETRY_SECONDS = env_int("SOCIAL_MEDIA_RETRY_SECONDS", 2, minimum=0, maximum=60)
# Chat uploads no message took are deleted after this many hours; quotas per conversation
# (waiting to be sent, and in all) and per address per day (helpdesk/services/uploads.py).
NIDAA_ORPHAN_UPLOAD_HOURS = env_int("NIDAA_ORPHAN_UPLOAD_HOURS", 24, minimum=1)
NIDAA_UPLOADS_PENDING_PER_CONVERSATION = env_int(
    "NIDAA_UPLOADS_PENDING_PER_CONVERSATION", 8, minimum=1
)
NIDAA_UPLOADS_PER_CONVERSATION = env_int("NIDAA_UPLOADS_PER_CONVERSATION", 40, minimum=1)
NIDAA_UPLOADS_PER_ADDRESS_PER_DAY = env_int("NIDAA_UPLOADS_PER_ADDRESS_PER_DAY", 200, minimum=1)

# The largest webhook body kept in the inbox journal (Meta batches up to 1000 events).
NIDAA_SOCIAL_WEBHOOK_MAX_BYTES = env_int(
    "SOCIAL_WEBHOOK_MAX_BYTES", 20 * 1024 * 1024, minimum=64 * 1024, maximum=100 * 1024 * 1024
)
# After this long, journal entries still unread are handed to the worker again (the sweep).
NIDAA_SOCIAL_INBOX_GRACE_SECONDS = env_int("SOCIAL_INBOX_GRACE_SECONDS", 60, minimum=1)
