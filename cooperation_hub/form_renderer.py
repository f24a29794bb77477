"""The one way the site renders a form field (settings.FORM_RENDERER).

Django's and allauth's forms, rendered whole ({{ form }}) or field by field
({{ field.as_field_group }}), go through templates/forms/: block markup only,
so that a help text made of a list (the password rules) stays inside the
element that the input's aria-describedby names instead of being torn out of
a <p> by the browser's HTML repair and leaving the reference pointing at
nothing.
"""

from pathlib import Path

import django
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.utils.functional import cached_property
from django.utils.translation import gettext_noop


class HubFormRenderer(DjangoTemplates):
    form_template_name = "forms/div.html"
    field_template_name = "forms/field.html"

    @cached_property
    def engine(self):
        # Django's own renderer reads the apps' templates and Django's widgets;
        # the project's templates/ comes first so that templates/forms/ is found.
        return self.backend(
            {
                "APP_DIRS": True,
                "DIRS": [Path(settings.BASE_DIR) / "templates", Path(django.__file__).parent / "forms" / "templates"],
                "NAME": "hubforms",
                "OPTIONS": {},
            }
        )


# allauth's French puts a plain space before "?": the project's catalogue
# (LOCALE_PATHS, read before allauth's) says them again with a non-breaking one.
# Named here so that `make messages` keeps them.
ALLAUTH_STRINGS_RETYPESET = (gettext_noop("Forgot your password?"), gettext_noop("Forgot Password?"))
