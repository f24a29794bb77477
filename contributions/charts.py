"""The SVG bar chart of the consultations' open data: moved to cooperation_hub/charts.py
(the network dashboard draws with it too); kept here for the existing imports."""

from cooperation_hub.charts import Bar, Chart, bar_chart

__all__ = ["Bar", "Chart", "bar_chart"]
