"""Django settings for Nidaa, one module per concern.

Everything that differs between a laptop and production comes from the
environment through the typed readers in ``helpdesk.env``; ``.env.example``
documents every variable. Each module below imports what it needs from the
modules before it; this one only gathers them in order.
"""

from nidaa.settings.base import *  # noqa: F403
from nidaa.settings.database import *  # noqa: F403
from nidaa.settings.logging import *  # noqa: F403
from nidaa.settings.notifications import *  # noqa: F403
from nidaa.settings.product import *  # noqa: F403
from nidaa.settings.realtime import *  # noqa: F403
from nidaa.settings.security import *  # noqa: F403
