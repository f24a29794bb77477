"""A member's own data: the privacy page, the download of one's data, and
erasing an account (issue #18: accounts get a home of their own).

Depends on contributions and subscriptions, never the reverse."""
