"""The Streamlit side of the dashboard: glue (cached loaders, filters, widgets) and HTML rendering."""
