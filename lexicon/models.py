"""Pairs that network administrators add or correct in the Wagtail admin (Snippets > Lexicon)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LexiconEntry(models.Model):
    """A French/English pair: enabled, it is searched both ways; disabled, it removes that pair from the lexicon."""

    french = models.CharField(_("French"), max_length=120)
    english = models.CharField(_("English"), max_length=120)
    enabled = models.BooleanField(
        _("enabled"),
        default=True,
        help_text=_("Untick to remove this pair from the lexicon (a wrong translation in the shipped data)."),
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("lexicon pair")
        verbose_name_plural = _("lexicon pairs")
        ordering = ["french", "english"]
        constraints = [models.UniqueConstraint(fields=["french", "english"], name="lexicon_entry_unique_pair")]

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from .lexicon import key

        errors = {}
        for name in ("french", "english"):
            if not key(getattr(self, name) or ""):
                errors[name] = _("Write a word or an expression.")
        if not errors and key(self.french) == key(self.english):
            errors["english"] = _("A word spelt the same in both languages needs no pair: it is already found.")
        if errors:
            raise ValidationError(errors)

    def __str__(self) -> str:
        return f"{self.french} ↔ {self.english}"
