"""The agent console and the supervisor's screens: the staff socket (``consumer``), the
per-process registry of open consoles (``hub``), the worklists' socket (``worklist``)
and the pages (``views``). Templates are in ``templates/console/``, scripts in
``static/console/``."""
