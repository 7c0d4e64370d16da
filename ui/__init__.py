"""The Streamlit side of the dashboard, one module per job: which store a session reads
(:mod:`ui.stores`), cached loaders (:mod:`ui.loaders`), the shared sidebar filters
(:mod:`ui.filters`), the view in the URL (:mod:`ui.url`), shared widgets (:mod:`ui.widgets`),
Vega-Lite charts (:mod:`ui.charts`) and escaped HTML (:mod:`ui.render`)."""
