"""One line per event in the logs: a timestamp, the level, the logger, the message.

A traceback or a message holding newlines stays on its event's line (newlines
written as ``\\n``), so that ``grep``, ``journalctl`` and a log shipper see one
event per line and never a traceback's last line on its own.
"""

import logging


class OneLineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return super().format(record).replace("\r", "").replace("\n", "\\n")
