"""Settings of the load benchmark: the production settings (DEBUG off, a secret
key from the environment, PostgreSQL, Redis, OpenSearch), with two stated changes."""

import os

from cooperation_hub.settings import *  # noqa: F403

# Every simulated user comes from 127.0.0.1: the per-address limit (20
# contributions per 10 minutes) would refuse them all after a few seconds.
CONTRIBUTIONS_RATE_LIMITS = {action: (100_000, 600) for action in ("contribute", "reply", "support", "report", "edit")}
# collectstatic into the benchmark's own folder, not the checkout's static/.
STATIC_ROOT = os.path.join(os.environ["HUB_VAR_DIR"], "static")
