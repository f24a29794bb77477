"""Comparable projects, stored: worked out once when a report or its neighbours change
(search/comparable_store.py), read by every view of the report."""

from django.db import models


class ComparableList(models.Model):
    """The comparable projects of one report as read in one language, as last worked out.

    A list with no items is an answer too (nothing comparable), unlike no list at all
    (not worked out yet: the page computes it on the fly and queues a refresh).
    """

    source = models.ForeignKey("experiences.ExperiencePage", on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=8)
    # "database" or "engine": which scoring produced the stored scores (they are not on the same scale).
    method = models.CharField(max_length=16, default="database")
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "language"], name="comparable_list_unique")]

    def __str__(self) -> str:
        return f"comparable projects of page {self.source_id} ({self.language})"


class ComparableItem(models.Model):
    """One comparable report of a list, best first (rank 1), with what they share."""

    comparable_list = models.ForeignKey(ComparableList, on_delete=models.CASCADE, related_name="items")
    rank = models.PositiveSmallIntegerField()
    target = models.ForeignKey("experiences.ExperiencePage", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    # Language-neutral facts behind the reasons (search.comparable.render_reasons words them).
    why = models.JSONField(default=dict)

    class Meta:
        ordering = ["comparable_list", "rank"]
        constraints = [models.UniqueConstraint(fields=["comparable_list", "rank"], name="comparable_item_rank_unique")]
        indexes = [models.Index(fields=["target"], name="comparable_item_target")]

    def __str__(self) -> str:
        return f"{self.comparable_list}: #{self.rank} page {self.target_id}"
